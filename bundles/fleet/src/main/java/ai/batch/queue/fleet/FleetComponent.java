package ai.batch.queue.fleet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import ai.batch.queue.BatchQueue;

/**
 * Fleet mode on this node, while configuration {@code ai.batch.queue.fleet} exists: connects to the fleet's
 * PostgreSQL through pgjdbc's {@link DataSourceFactory}, joins the fleet (on a thread of its own, trying again
 * with backoff while the database is away), then registers the fleet's {@link BatchQueue} (ranked above the
 * single-machine queue's) and runs every {@code BatchItemHandler} service of this framework as a slot of the
 * fleet ({@link HandlerSlots}). Every event of the fleet reaches this framework's EventAdmin, with the node
 * whose change it was ({@code node}).
 */
@Component(name = FleetConfig.PID, configurationPid = FleetConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = FleetConfig.class)
public final class FleetComponent {

    /** The service ranking of the fleet's queue: above the single-machine queue's default 0. */
    static final int RANKING = 100;

    private final BundleContext context;
    private final Logger logger;
    private final ConnectionPool pool;
    private final FleetNode node;
    private final Thread starter;
    private volatile boolean active = true;
    private volatile ServiceRegistration<BatchQueue> registration;
    private volatile HandlerSlots slots;

    @Activate
    public FleetComponent(BundleContext context, FleetConfig config,
            @Reference(target = "(osgi.jdbc.driver.class=org.postgresql.Driver)") DataSourceFactory jdbc,
            @Reference EventAdmin eventAdmin,
            @Reference(service = LoggerFactory.class) Logger logger) throws SQLException {
        this.context = context;
        this.logger = logger;
        FleetSettings settings = settings(config);
        this.pool = new ConnectionPool(jdbc.createConnectionPoolDataSource(jdbcProperties(config)),
                config.pool_size(), settings.deadAfter().toMillis());
        this.node = new FleetNode(pool, settings, config.retry_maxAttempts(), config.retry_backoffMs(),
                event -> eventAdmin.sendEvent(toEvent(event)), new FleetNode.Reports() {
                    @Override
                    public void warn(String message) {
                        logger.warn(message);
                    }

                    @Override
                    public void info(String message) {
                        logger.info(message);
                    }
                });
        this.starter = new Thread(this::join, node.threadName("start"));
        starter.setDaemon(true);
        starter.start();
    }

    static FleetSettings settings(FleetConfig config) {
        if (config.url() == null || !config.url().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        String id = config.node_id() == null || config.node_id().isBlank() ? hostName() : config.node_id().trim();
        return new FleetSettings(id, Duration.ofMillis(config.heartbeat_ms()), Duration.ofMillis(config.deadAfter_ms()),
                config.batchSize(), Duration.ofMillis(config.lease_targetMs()), config.slots_stealFactor(),
                Duration.ofMillis(config.planner_maxWaitMs()), Duration.ofMillis(config.item_timeout_ms()),
                Duration.ofMillis(500), Duration.ofMillis(config.outbox_retentionMs()));
    }

    static Properties jdbcProperties(FleetConfig config) {
        Properties properties = new Properties();
        properties.setProperty(DataSourceFactory.JDBC_URL, config.url());
        if (!config.user().isEmpty()) {
            properties.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config._password().isEmpty()) {
            properties.setProperty(DataSourceFactory.JDBC_PASSWORD, config._password());
        }
        properties.setProperty("sslmode", config.sslmode());
        properties.setProperty("ApplicationName", "ai-batch-queue fleet");
        // a node frozen inside a transaction (a claim, a settlement) must not hold its rows for long: the database
        // ends the transaction, the reaper can declare the node dead, and other nodes settle that job again
        properties.setProperty("options", "-c idle_in_transaction_session_timeout="
                + Math.max(1_000L, config.deadAfter_ms() / 2));
        return properties;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("node.id is empty and this host has no name; set node.id", e);
        }
    }

    private void join() {
        long backoff = 500;
        while (active) {
            try {
                node.start();
                break;
            } catch (SQLException | RuntimeException e) {
                logger.warn("Fleet node {} cannot join the fleet yet ({}); trying again in {} ms", node.id(),
                        e.getMessage(), backoff);
                node.sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
        if (!active) {
            return;
        }
        HandlerSlots handlerSlots = new HandlerSlots(context, node, logger);
        handlerSlots.open();
        slots = handlerSlots;
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, RANKING);
        properties.put("ai.batch.fleet.node", node.id());
        registration = context.registerService(BatchQueue.class, new FleetQueue(pool, node.id()), properties);
    }

    static Event toEvent(FleetEvent event) {
        Map<String, Object> properties = new HashMap<>(event.properties());
        if (event.node() != null) {
            properties.put(FleetPayloads.NODE, event.node());
        }
        if (event.seq() > 0) { // relayed from the outbox (a node's own fleet_nodes table is not)
            properties.put(FleetPayloads.SEQ, event.seq());
        }
        return new Event(event.topic(), properties);
    }

    @Deactivate
    void deactivate() {
        active = false;
        starter.interrupt();
        try {
            starter.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ServiceRegistration<BatchQueue> registered = registration;
        if (registered != null) {
            try {
                registered.unregister();
            } catch (IllegalStateException e) {
                // the bundle is stopping: the framework unregistered it already
            }
        }
        HandlerSlots handlerSlots = slots;
        if (handlerSlots != null) {
            handlerSlots.close();
        }
        node.stop();
        pool.close();
    }
}

package ai.batch.queue.web;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.handler.BatchItemHandler;

/**
 * The dashboard: listens to every {@code ai_batch/} topic but {@code item_started} (a finished item's start is its
 * {@code item_progress} time less its duration, so the busiest topic is left to EventAdmin) and registers, on the
 * HTTP Whiteboard, the dashboard servlet at the configured path and the Web Console plugin. {@link #handleEvent}
 * only leaves each event in a bounded inbox; the writer thread ({@code ai-batch-queue-web-sse}) records it in the
 * history, numbers and buffers it for the browsers, and sends the event streams.
 */
@Component(service = EventHandler.class, configurationPid = WebConfig.PID, immediate = true, property = {
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_JOB_QUEUED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_JOB_STARTED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_ITEM_PROGRESS,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_ITEM_RETRY,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_JOB_COMPLETED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_JOB_CANCELLED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_JOB_MOVED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_JOB_PRIORITY_CHANGED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_JOB_PURGED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_RESOURCE_SWITCHED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_PLAN_CHANGED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_CONFIGURED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_PAUSED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_RESUMED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_JOURNAL_RECOVERED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_PERSISTENCE_FAILED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_MODEL_LOADING,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_MODEL_LOADED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_MODEL_UNLOADED,
    EventConstants.EVENT_TOPIC + "=" + FleetNodes.TOPIC})
@Designate(ocd = WebConfig.class)
public final class DashboardComponent implements EventHandler {

    static final String SERVLET_NAME = "ai.batch.queue.web.dashboard";
    /** The property with which the fleet bundle numbers the events it relays (a Long): the streams' event ids. */
    static final String OUTBOX_SEQ = "seq";
    /** Service property of the dashboard servlet: whether actions are enabled (Boolean), for tools and tests. */
    static final String ACTIONS_PROPERTY = "ai.batch.queue.web.actionsEnabled";

    private final Logger logger;
    private final QueueActivity activity;
    private final SseHub hub;
    private final EventInbox inbox = new EventInbox(EventInbox.CAPACITY);
    private final ScheduledExecutorService writer;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ServiceRegistration<Servlet> dashboard;
    private final ServiceRegistration<Servlet> console;

    @Activate
    public DashboardComponent(WebConfig config, BundleContext context,
            @Reference(name = "queue", policyOption = ReferencePolicyOption.GREEDY) BatchQueue queue,
            @Reference(name = "logger", service = LoggerFactory.class) Logger logger) {
        this.logger = logger;
        WebSettings settings = WebSettings.from(config);
        this.activity = new QueueActivity(settings.historySize(), jobId -> {
            OptionalLong remaining = queue.estimateRemainingMs(jobId);
            return remaining.isPresent() ? remaining.getAsLong() : null;
        });
        JobViews views = new JobViews(queue, activity);
        this.hub = new SseHub(settings, () -> json(views.snapshot()),
                TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
        this.writer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ai-batch-queue-web-sse");
            thread.setDaemon(true);
            return thread;
        });
        long tick = hub.tickNanos();
        writer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.NANOSECONDS);
        this.dashboard = context.registerService(Servlet.class,
                new DashboardServlet(settings, new QueueApi(queue, views), hub), dashboardProperties(settings));
        this.console = context.registerService(Servlet.class, new WebConsolePlugin(settings), consoleProperties());
        logger.info("Dashboard at {} ({})", settings.path(), settings.actionsEnabled() ? "actions enabled"
                : "read-only");
    }

    /** A handler service came or changed: the slot it declares, if any, shows in the slots view. */
    @Reference(name = "handlers", service = BatchItemHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeHandler", updated = "addHandler")
    void addHandler(ServiceReference<?> handler) {
        activity.slots().handler(handler.getProperty("service.id"), handler.getProperty(BatchItemHandler.SLOT),
                handler.getProperty(BatchItemHandler.RESOURCE));
    }

    void removeHandler(ServiceReference<?> handler) {
        activity.slots().handlerGone(handler.getProperty("service.id"));
    }

    @Deactivate
    void deactivate() {
        unregister(console);
        unregister(dashboard);
        writer.shutdownNow();
        hub.closeAll();
    }

    /** Only stamps the event and leaves it for the writer thread: the queue's event thread never waits here. */
    @Override
    public void handleEvent(Event event) {
        inbox.offer(event, System.currentTimeMillis());
    }

    /** The writer thread: takes in what arrived, then writes what is due to the browsers. */
    private void tick() {
        try {
            for (EventInbox.Arrival arrival : inbox.drain()) {
                record(arrival.event(), arrival.atMs());
            }
            long dropped = inbox.takeDropped();
            if (dropped > 0) {
                logger.warn("The dashboard fell behind the queue and skipped {} events; browsers get a fresh "
                        + "snapshot, and those items' start and finish times are not shown", dropped);
                hub.requestSnapshots();
            }
            hub.tick(System.nanoTime());
        } catch (RuntimeException e) {
            logger.error("Writing the dashboard's event streams failed", e);
        }
    }

    private void record(Event event, long atMs) {
        String topic = event.getTopic();
        if (FleetNodes.TOPIC.equals(topic)) { // the fleet's node table: shown in the plan, not streamed
            activity.fleetNodes().accept(event.getProperty(BatchEvents.JSON), atMs);
            return;
        }
        try {
            activity.accept(topic, event::getProperty, atMs);
        } catch (RuntimeException e) {
            logger.warn("Could not record event {} for the dashboard's history", topic, e);
        }
        Object json = event.getProperty(BatchEvents.JSON);
        Object seq = event.getProperty(OUTBOX_SEQ); // in fleet mode: the event's number in the fleet's outbox
        hub.publish(topic, atMs, json instanceof String text ? text : "{}", seq instanceof Long number ? number : 0);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the dashboard snapshot", e);
        }
    }

    static Dictionary<String, Object> dashboardProperties(WebSettings settings) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.name", SERVLET_NAME);
        properties.put("osgi.http.whiteboard.servlet.pattern",
                new String[] {settings.path(), settings.path() + "/*"});
        properties.put("osgi.http.whiteboard.servlet.asyncSupported", Boolean.TRUE);
        properties.put(ACTIONS_PROPERTY, settings.actionsEnabled());
        return properties;
    }

    static Dictionary<String, Object> consoleProperties() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("felix.webconsole.label", WebConsolePlugin.LABEL);
        properties.put("felix.webconsole.title", WebConsolePlugin.TITLE);
        properties.put("felix.webconsole.category", "AI");
        return properties;
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // unregistered already, with the bundle
        }
    }
}

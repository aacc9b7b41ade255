package ai.batch.queue.fleet;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code ai.batch.queue.fleet}: fleet mode is on while this configuration exists. Every node
 * of a fleet points at the same PostgreSQL database.
 */
@ObjectClassDefinition(name = "AI batch queue: fleet mode",
        description = "Several OSGi nodes share one queue on PostgreSQL. With this configuration the node provides the "
                + "fleet's BatchQueue and runs its handlers' work from the shared queue.")
public @interface FleetConfig {

    /** The configuration PID. */
    String PID = "ai.batch.queue.fleet";

    @AttributeDefinition(name = "JDBC URL", description = "The fleet's PostgreSQL database, e.g. "
            + "jdbc:postgresql://db.example.org:5432/batch. Every node names the same database.")
    String url();

    @AttributeDefinition(name = "User", required = false, description = "The database user.")
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "The database user's password. A private property: never logged nor shown.")
    String _password() default "";

    @AttributeDefinition(name = "TLS (sslmode)", required = false, description = "pgjdbc's sslmode: disable, allow, "
            + "prefer, require, verify-ca or verify-full. Across machines use verify-full.")
    String sslmode() default "prefer";

    @AttributeDefinition(name = "Node id", required = false, description = "This node's name in the fleet, unique "
            + "among the nodes; empty: the host name. A node restarted under the same id takes its place again.")
    String node_id() default "";

    @AttributeDefinition(name = "Heartbeat (ms)", min = "100", description = "How often this node tells the fleet it is "
            + "alive (on the database clock).")
    long heartbeat_ms() default 1_000L;

    @AttributeDefinition(name = "Dead after (ms)", min = "300", description = "A node that has not beaten for this long "
            + "is declared dead; its running items run again elsewhere and its late results are refused. Must exceed "
            + "your longest GC pause, and at least three heartbeats.")
    long deadAfter_ms() default 10_000L;

    @AttributeDefinition(name = "Micro-batch", min = "1", max = "1024", description = "The most items one claim leases.")
    int batchSize() default 32;

    @AttributeDefinition(name = "Lease target (ms)", min = "1", description = "How much work one claim leases, by the "
            + "learned item time (one item while it is unknown): the most a dead node makes run twice.")
    long lease_targetMs() default 1_000L;

    @AttributeDefinition(name = "Steal factor", description = "A second slot loads a model another slot holds only when "
            + "its remaining work per holding slot exceeds this many of its learned load times.")
    double slots_stealFactor() default 2.0;

    @AttributeDefinition(name = "Longest wait (ms)", min = "1", description = "A job waiting this long has its model "
            + "taken first by the next free slot that can run it.")
    long planner_maxWaitMs() default 600_000L;

    @AttributeDefinition(name = "Item timeout (ms)", min = "1", description = "How long one handler call may take per item.")
    long item_timeout_ms() default 1_800_000L;

    @AttributeDefinition(name = "Attempts", min = "1", description = "How many times an item whose failure may pass "
            + "(a RetryableException, an I/O error) is tried, on any node.")
    int retry_maxAttempts() default 1;

    @AttributeDefinition(name = "First backoff (ms)", min = "0", description = "Wait before the second attempt; doubled "
            + "for each further attempt, at most 5 minutes.")
    long retry_backoffMs() default 1_000L;

    @AttributeDefinition(name = "Connections", min = "2", description = "Database connections this node keeps open "
            + "at most (two are the event relay's).")
    int pool_size() default 10;

    @AttributeDefinition(name = "Event retention (ms)", min = "1", description = "How long events stay in the outbox, "
            + "for dashboards that resume their stream.")
    long outbox_retentionMs() default 86_400_000L;
}

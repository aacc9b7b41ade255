package ai.batch.queue.web;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the dashboard, PID {@value #PID}. Changes apply at once: the servlets are registered again and
 * open event streams are closed (browsers reconnect by themselves).
 */
@ObjectClassDefinition(name = "ai-batch-queue dashboard",
        description = "The browser dashboard of the batch queue: page, JSON REST surface and Server-Sent Events. "
                + "Which host and port it listens on is the HTTP service's own setting "
                + "(org.osgi.service.http.host / org.osgi.service.http.port).")
public @interface WebConfig {

    /** The configuration PID. */
    String PID = "ai.batch.queue.web";

    @AttributeDefinition(name = "Path",
            description = "Where the page is served; the REST surface is below it at <path>/api. Starts with '/', "
                    + "does not end with '/'.")
    String path() default "/batch";

    @AttributeDefinition(name = "Actions enabled",
            description = "Allow steering the queue from the browser (pause, cancel, retry, reorder, purge). "
                    + "false: the dashboard is read-only and refuses every action with 403.")
    boolean actions_enabled() default false;

    @AttributeDefinition(name = "Allowed hosts",
            description = "Host names (or name:port) the dashboard answers to besides localhost, 127.0.0.1, [::1] "
                    + "and the address it is reached on. Every request's Host header must name one of them; any "
                    + "other gets 421, so that a page of another site whose name was made to resolve to this "
                    + "machine (DNS rebinding) reads and changes nothing. Add the names users type when the HTTP "
                    + "service listens beyond this machine, e.g. queue.example.org.")
    String[] allowedHosts() default {};

    @AttributeDefinition(name = "Event frames per second",
            description = "At most this many Server-Sent Event frames per second per browser; events that arrive "
                    + "faster are coalesced into one frame. Greater than 0.")
    double sse_maxRate() default 10;

    @AttributeDefinition(name = "Events buffered per browser",
            description = "The most queue events waiting for one browser. When a browser falls further behind, "
                    + "its waiting events are dropped and it gets one fresh snapshot instead. At least 1.")
    int sse_clientBuffer() default 256;

    @AttributeDefinition(name = "Replay buffer",
            description = "How many recent events are kept to resume a reconnecting browser from its "
                    + "Last-Event-ID; older ids get a fresh snapshot. At least 1.")
    int sse_replayBuffer() default 1024;

    @AttributeDefinition(name = "Most event streams",
            description = "At most this many browsers' event streams open at once; one more gets 503 with "
                    + "Retry-After, and its browser tries again. At least 1.")
    int sse_maxClients() default 32;

    @AttributeDefinition(name = "Heartbeat interval (ms)",
            description = "A comment line is sent to an idle event stream this often, so proxies keep it open "
                    + "and a closed browser is noticed: a stream whose browser has not taken what was written "
                    + "for this long is dropped (the browser reconnects and resumes). At least 100.")
    long sse_heartbeatMs() default 15_000;

    @AttributeDefinition(name = "History size",
            description = "How many model switches, loads and unloads, and how many throughput and ETA samples "
                    + "per model, the dashboard keeps in memory. At least 1.")
    int history_size() default 200;
}

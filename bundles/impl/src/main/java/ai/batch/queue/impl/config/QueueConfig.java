package ai.batch.queue.impl.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code ai.batch.queue}. */
@ObjectClassDefinition(name = "AI batch queue",
        description = "Runs AI batch jobs with the handler services registered for each model. "
                + "Changes apply at once and never drop queued or running jobs.")
public @interface QueueConfig {

    /** The configuration PID. */
    String PID = "ai.batch.queue";

    @AttributeDefinition(name = "Run jobs automatically",
            description = "When true, queued jobs start by themselves as soon as a handler serves their model. "
                    + "When false, callers drive jobs with markRunning, updateItem and markCompleted.")
    boolean executor_enabled() default true;

    @AttributeDefinition(name = "Concurrent jobs",
            description = "How many jobs run at the same time. 1 keeps a single model loaded at a time.", min = "1")
    int executor_concurrentJobs() default 1;

    @AttributeDefinition(name = "Item timeout (ms)",
            description = "How long one handler call may take; after it the item FAILS with a 'timed out' error "
                    + "and its thread is interrupted.", min = "1")
    long item_timeout_ms() default 1_800_000L;

    @AttributeDefinition(name = "Maximum wait (ms)",
            description = "The longest a queued job waits while jobs of other models keep arriving: once it has "
                    + "waited this long it runs next, even at the cost of a model load.", min = "1")
    long planner_maxWaitMs() default 600_000L;

    @AttributeDefinition(name = "Keep the queue on disk",
            description = "When true, every change is written to a journal (fsync) before it is acknowledged, and "
                    + "the queue is rebuilt from it at start. When false, the queue lives in memory only. "
                    + "Read at start.")
    boolean persistence_enabled() default true;

    @AttributeDefinition(name = "Journal directory",
            description = "Where the journal lives; empty: the bundle's data area. Read at start.")
    String persistence_directory() default "";

    @AttributeDefinition(name = "Compact the journal after (records)",
            description = "When the journal holds more records than this, it is rewritten with only the jobs still "
                    + "kept (see retention) and a checkpoint of the timing statistics.", min = "100")
    long persistence_compactAfterRecords() default 10_000L;

    @AttributeDefinition(name = "Keep finished jobs for (ms)",
            description = "Finished jobs older than this are removed, with their items, from memory and journal.",
            min = "1")
    long retention_maxAgeMs() default 604_800_000L;

    @AttributeDefinition(name = "Finished jobs kept",
            description = "At most this many finished jobs are kept; the oldest are removed first.", min = "0")
    int retention_maxFinishedJobs() default 1000;

    @AttributeDefinition(name = "Attempts per item",
            description = "How many times an item is tried when it fails in a way that may pass (a retryable "
                    + "failure, a RetryableException, an IOException, a timeout). 1: no automatic retry, the item "
                    + "FAILS at once.", min = "1")
    int retry_maxAttempts() default 1;

    @AttributeDefinition(name = "First retry after (ms)",
            description = "Backoff before the second attempt; it doubles for each further one, with +/-50% jitter.",
            min = "0")
    long retry_initialBackoffMs() default 1_000L;

    @AttributeDefinition(name = "Longest backoff (ms)", description = "The backoff never grows beyond this.",
            min = "0")
    long retry_maxBackoffMs() default 60_000L;

    @AttributeDefinition(name = "Thread name prefix",
            description = "Prefix of the names of the queue's threads, as seen in thread dumps.")
    String executor_threadName() default "ai-batch-queue";

    @AttributeDefinition(name = "Post events",
            description = "When true, progress is posted to EventAdmin under ai_batch/*.")
    boolean events_enabled() default true;

    @AttributeDefinition(name = "Event backlog",
            description = "The most events (and other queue notifications) waiting for delivery. When subscribers "
                    + "fall this far behind, the queue waits for them (at most 10 s at a time) instead of letting "
                    + "events pile up in memory. Read at start.", min = "1")
    int events_maxBacklog() default 16_384;

    @AttributeDefinition(name = "Item events per second per job",
            description = "0 (default): one item_started and one item_progress event per item. Above 0: at most "
                    + "this many item events per second per job; in between, the latest item_progress is held "
                    + "back and delivered later, and always before the job's end, so the final counts arrive.",
            min = "0")
    double events_progress_maxRate() default 0;

    @AttributeDefinition(name = "Preload the next model",
            description = "With a model lifecycle service for the model (e.g. the Ollama bundle's): load the next "
                    + "planned model while the current job's remaining work is shorter than that model's load time, "
                    + "when the runtime has room for both, so the load overlaps work.")
    boolean models_preload() default true;

    @AttributeDefinition(name = "Keep idle models loaded for (ms)",
            description = "A loaded model with no queued or running job is unloaded after this long (through its "
                    + "lifecycle service). 0: never unload.", min = "0")
    long models_keepWarmMs() default 300_000L;

    @AttributeDefinition(name = "Release models on pause",
            description = "When true, pausing the queue unloads every model a lifecycle service holds, so a desktop "
                    + "user gets the GPU back; they load again as jobs need them.")
    boolean models_releaseOnPause() default false;

    @AttributeDefinition(name = "Lifecycle call timeout (ms)",
            description = "The longest the queue waits for a lifecycle service to load, unload or list models; "
                    + "after it the call is logged as failed and the queue goes on.", min = "1")
    long models_lifecycleTimeoutMs() default 120_000L;

    @AttributeDefinition(name = "Slots: steal factor",
            description = "A free slot loads another copy of a model other slots hold only when that model's work "
                    + "not yet taken, per slot holding it, is more than this many times its learned load time. "
                    + "Lower spreads a model's work sooner at the cost of more loads; 0 copies whenever items are "
                    + "left.", min = "0")
    double slots_stealFactor() default 2.0;
}

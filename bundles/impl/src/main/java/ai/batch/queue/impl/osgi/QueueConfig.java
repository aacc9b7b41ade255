package ai.batch.queue.impl.osgi;

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

    @AttributeDefinition(name = "Thread name prefix",
            description = "Prefix of the names of the queue's threads, as seen in thread dumps.")
    String executor_threadName() default "ai-batch-queue";

    @AttributeDefinition(name = "Post events",
            description = "When true, progress is posted to EventAdmin under ai_batch/*.")
    boolean events_enabled() default true;
}

package ai.batch.queue;

/**
 * EventAdmin topics and property keys of the batch queue; subscribe with {@code event.topics=ai_batch/*}
 * ({@link #TOPIC_ALL}).
 *
 * <p>Subscribers receive events asynchronously to the callers, in order: the queue delivers every event from its
 * own single event thread with EventAdmin's {@code sendEvent}, in the order of the changes, and each only once its
 * change is durable (in the journal, when persistence is on). Changes do not wait for subscribers while the backlog
 * is small; a slow subscriber holds back the event thread, and once {@code events.maxBacklog} events
 * (configuration PID {@code ai.batch.queue}) wait for delivery, further changes wait for room (at most 10 seconds
 * at a time) so that the queue slows down to the subscribers' pace instead of piling events up in memory. A
 * subscriber that calls the queue from {@code handleEvent} never waits for room.
 *
 * <p>A property whose value is {@code null} is left out of the event. Every event also carries {@link #JSON}: the
 * same payload as a JSON string, with {@code null} values kept. Status values are wire names such as
 * {@code "completed"} (see {@link BatchItemStatus#wireName()}, {@link BatchJobStatus#wireName()}).
 */
public final class BatchEvents {

    /** Matches every topic of the batch queue. */
    public static final String TOPIC_ALL = "ai_batch/*";

    /**
     * A job starts running. Properties: {@link #JOB_ID}, {@link #OPERATION}, {@link #RESOURCE_KEY} (String),
     * {@link #TOTAL_ITEMS} (Integer), {@link #JSON}:
     * {@code {"jobId":…,"operation":…,"resourceKey":…,"totalItems":…}}.
     */
    public static final String TOPIC_JOB_STARTED = "ai_batch/job_started";

    /**
     * One item reached a final state while its job ran. Properties: {@link #JOB_ID}, {@link #ITEM_ID},
     * {@link #STATUS}, {@link #ERROR} (String), {@link #COMPLETED}, {@link #TOTAL} (Integer),
     * {@link #DURATION_MS}, {@link #ETA_REMAINING_MS} (Long), {@link #JSON}:
     * {@code {"jobId":…,"itemId":…,"status":…,"completed":…,"total":…,"error":…,"durationMs":…,
     * "etaRemainingMs":…}}. {@code completed} counts the job's items in a final state, so it reaches
     * {@code total} with the job's last item.
     */
    public static final String TOPIC_ITEM_PROGRESS = "ai_batch/item_progress";

    /**
     * A job finished, cancelled ones included. Properties: {@link #JOB_ID}, {@link #OPERATION},
     * {@link #RESOURCE_KEY}, {@link #STATUS} (String), {@link #TOTAL}, {@link #SUCCEEDED}, {@link #FAILED},
     * {@link #SKIPPED} (Integer), {@link #TOTAL_DURATION_MS}, {@link #AVG_DURATION_MS} (Long), {@link #JSON}:
     * {@code {"summary":{…}}} (see {@link BatchCompletionSummary}).
     */
    public static final String TOPIC_JOB_COMPLETED = "ai_batch/job_completed";

    /**
     * A job was enqueued, re-queued by {@code retryFailed}, or put back in the queue because its handler went
     * away or the queue stopped. Properties: {@link #JOB_ID}, {@link #OPERATION}, {@link #RESOURCE_KEY}
     * (String), {@link #TOTAL_ITEMS} (Integer), {@link #CAUSE} (String: {@code "enqueued"}, {@code "retried"},
     * {@code "handlerGone"}, {@code "stopped"}), {@link #REORDERED} (Boolean), {@link #REORDER_NOTE} (String),
     * {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_JOB_QUEUED = "ai_batch/job_queued";

    /**
     * A job was cancelled. Properties: {@link #JOB_ID}, {@link #OPERATION}, {@link #RESOURCE_KEY} (String),
     * {@link #TOTAL_ITEMS} (Integer), {@link #WAS_RUNNING} (Boolean), {@link #JSON}. A job that was running also
     * gets its {@link #TOPIC_JOB_COMPLETED} event with status {@code "cancelled"}.
     *
     * @since 1.1
     */
    public static final String TOPIC_JOB_CANCELLED = "ai_batch/job_cancelled";

    /**
     * An item of a running job went to the handler. Properties: {@link #JOB_ID}, {@link #ITEM_ID},
     * {@link #SIZE_BUCKET} (String), {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_ITEM_STARTED = "ai_batch/item_started";

    /**
     * A job starts with a different model than the job that ran before it: the model is (re)loaded. Properties:
     * {@link #JOB_ID}, {@link #FROM_RESOURCE_KEY} (String, absent for the first model),
     * {@link #RESOURCE_KEY} (String), {@link #REASON} (String, why the planner switched), {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_RESOURCE_SWITCHED = "ai_batch/resource_switched";

    /**
     * The planned order of queued jobs changed. Properties: {@link #JOB_IDS} (String[], in planned order),
     * {@link #RESOURCE_KEYS} (String[], the model of each), {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_PLAN_CHANGED = "ai_batch/plan_changed";

    /**
     * A new configuration (PID {@code ai.batch.queue}) took effect. Properties: {@link #EXECUTOR_ENABLED}
     * (Boolean), {@link #CONCURRENT_JOBS} (Integer), {@link #ITEM_TIMEOUT_MS}, {@link #MAX_WAIT_MS} (Long),
     * {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_CONFIGURED = "ai_batch/configured";

    /**
     * The queue was paused ({@link BatchQueue#pause()}). Properties: {@link #JSON} ({@code {}}).
     *
     * @since 1.1
     */
    public static final String TOPIC_PAUSED = "ai_batch/paused";

    /**
     * The queue was resumed ({@link BatchQueue#resume()}). Properties: {@link #JSON} ({@code {}}).
     *
     * @since 1.1
     */
    public static final String TOPIC_RESUMED = "ai_batch/resumed";

    /**
     * A queued job was moved to the front ({@link BatchQueue#moveToFront}). Properties: {@link #JOB_ID},
     * {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_JOB_MOVED = "ai_batch/job_moved";

    /**
     * A queued job's priority changed ({@link BatchQueue#setPriority}). Properties: {@link #JOB_ID},
     * {@link #PRIORITY} (String), {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_JOB_PRIORITY_CHANGED = "ai_batch/job_priority_changed";

    /**
     * An item failed in a way that may pass and waits for another attempt (automatic retries). Properties:
     * {@link #JOB_ID}, {@link #ITEM_ID}, {@link #ERROR} (String), {@link #ATTEMPTS} (Integer, attempts so far),
     * {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_ITEM_RETRY = "ai_batch/item_retry";

    /**
     * A finished job was removed, by {@code purge}, {@code purgeFinished} or retention. Properties: {@link #JOB_ID},
     * {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_JOB_PURGED = "ai_batch/job_purged";

    /**
     * The queue was rebuilt from its journal at start. Properties: {@link #DIRECTORY} (String),
     * {@link #RECORDS_RECOVERED}, {@link #JOBS}, {@link #REQUEUED}, {@link #LOST} (Integer), {@link #PROBLEMS}
     * (String[], one per lost record, absent when none), {@link #MOVED_TO} (String, where a damaged journal was
     * moved, absent when none), {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_JOURNAL_RECOVERED = "ai_batch/journal_recovered";

    /**
     * The journal cannot be used (directory not writable, disk full, …): the queue runs in memory only and a
     * crash would lose it. Properties: {@link #DIRECTORY} (String), {@link #ERROR} (String), {@link #JSON}.
     *
     * @since 1.1
     */
    public static final String TOPIC_PERSISTENCE_FAILED = "ai_batch/persistence_failed";

    /**
     * The queue asked a runtime's {@link ai.batch.queue.handler.ModelLifecycle} to load a model ahead of the jobs
     * that need it, while another job still runs. Properties: {@link #RESOURCE_KEY} (String), {@link #REASON}
     * (String: {@code preload}), {@link #JSON}.
     *
     * @since 1.2
     */
    public static final String TOPIC_MODEL_LOADING = "ai_batch/model_loading";

    /**
     * A model the queue asked for is loaded. Properties: {@link #RESOURCE_KEY} (String), {@link #REASON}
     * (String, as in {@link #TOPIC_MODEL_LOADING}), {@link #DURATION_MS} (Long, how long the load took; it also
     * teaches the estimates the model's load time), {@link #ERROR} (String, set when the load failed or timed
     * out; the handler then loads the model lazily), {@link #JSON}.
     *
     * @since 1.2
     */
    public static final String TOPIC_MODEL_LOADED = "ai_batch/model_loaded";

    /**
     * The queue unloaded a model. Properties: {@link #RESOURCE_KEY} (String), {@link #REASON} (String:
     * {@code idle} after {@code models.keepWarmMs} without queued work, {@code paused} when the queue was
     * paused with {@code models.releaseOnPause}, {@code room} to make room for preloading the next planned model
     * in a runtime that holds two or more),
     * {@link #ERROR} (String, set when the unload failed), {@link #JSON}.
     *
     * @since 1.2
     */
    public static final String TOPIC_MODEL_UNLOADED = "ai_batch/model_unloaded";

    /**
     * Property: the slot (String, the handler's {@code ai.batch.slot}) that ran the item or holds the model; set
     * on {@code item_started}, {@code item_progress}, {@code item_retry} and the model topics only where the
     * handler or runtime declares a slot.
     *
     * @since 1.3
     */
    public static final String SLOT = "slot";

    /** Property: the job id (String). */
    public static final String JOB_ID = "jobId";
    /** Property: the item id (String). */
    public static final String ITEM_ID = "itemId";
    /** Property: the job's operation (String). */
    public static final String OPERATION = "operation";
    /** Property: the job's resource key, i.e. model (String). */
    public static final String RESOURCE_KEY = "resourceKey";
    /** Property: the number of items in the job (Integer), on job_started. */
    public static final String TOTAL_ITEMS = "totalItems";
    /** Property: an item or job status as its wire name (String). */
    public static final String STATUS = "status";
    /** Property: the number of the job's items in a final state (Integer). */
    public static final String COMPLETED = "completed";
    /** Property: the number of items in the job (Integer). */
    public static final String TOTAL = "total";
    /** Property: an item's error (String). */
    public static final String ERROR = "error";
    /** Property: an item's processing time in milliseconds (Long). */
    public static final String DURATION_MS = "durationMs";
    /** Property: the estimated time left for the job in milliseconds (Long); absent when unknown. */
    public static final String ETA_REMAINING_MS = "etaRemainingMs";
    /** Property: the number of COMPLETED items (Integer). */
    public static final String SUCCEEDED = "succeeded";
    /** Property: the number of FAILED items (Integer). */
    public static final String FAILED = "failed";
    /** Property: the number of SKIPPED plus CANCELLED items (Integer). */
    public static final String SKIPPED = "skipped";
    /** Property: the sum of the job's item durations in milliseconds (Long). */
    public static final String TOTAL_DURATION_MS = "totalDurationMs";
    /** Property: the average duration of processed items in milliseconds (Long). */
    public static final String AVG_DURATION_MS = "avgDurationMs";
    /**
     * Property: why a job became queued (String).
     *
     * @since 1.1
     */
    public static final String CAUSE = "cause";
    /**
     * Property: whether the planner runs the job ahead of a job enqueued earlier (Boolean).
     *
     * @since 1.1
     */
    public static final String REORDERED = "reordered";
    /**
     * Property: why the job was moved ahead (String).
     *
     * @since 1.1
     */
    public static final String REORDER_NOTE = "reorderNote";
    /**
     * Property: the model loaded before a switch (String).
     *
     * @since 1.1
     */
    public static final String FROM_RESOURCE_KEY = "fromResourceKey";
    /**
     * Property: an item's size bucket as its wire name (String).
     *
     * @since 1.1
     */
    public static final String SIZE_BUCKET = "sizeBucket";
    /**
     * Property: whether a cancelled job was running (Boolean).
     *
     * @since 1.1
     */
    public static final String WAS_RUNNING = "wasRunning";
    /**
     * Property: job ids in planned order (String[]).
     *
     * @since 1.1
     */
    public static final String JOB_IDS = "jobIds";
    /**
     * Property: the model of each job in {@link #JOB_IDS} (String[]).
     *
     * @since 1.1
     */
    public static final String RESOURCE_KEYS = "resourceKeys";
    /**
     * Property: whether jobs start by themselves (Boolean).
     *
     * @since 1.1
     */
    public static final String EXECUTOR_ENABLED = "executorEnabled";
    /**
     * Property: how many jobs may run at once (Integer).
     *
     * @since 1.1
     */
    public static final String CONCURRENT_JOBS = "concurrentJobs";
    /**
     * Property: the per-item handler timeout in milliseconds (Long).
     *
     * @since 1.1
     */
    public static final String ITEM_TIMEOUT_MS = "itemTimeoutMs";
    /**
     * Property: a job priority as its wire name (String).
     *
     * @since 1.1
     */
    public static final String PRIORITY = "priority";
    /**
     * Property: why the planner did something, in words (String).
     *
     * @since 1.1
     */
    public static final String REASON = "reason";
    /**
     * Property: the planner's maximum wait in milliseconds (Long).
     *
     * @since 1.1
     */
    public static final String MAX_WAIT_MS = "maxWaitMs";
    /**
     * Property: how many times a handler was called for an item (Integer).
     *
     * @since 1.1
     */
    public static final String ATTEMPTS = "attempts";
    /**
     * Property: a directory (String).
     *
     * @since 1.1
     */
    public static final String DIRECTORY = "directory";
    /**
     * Property: journal records replayed (Integer).
     *
     * @since 1.1
     */
    public static final String RECORDS_RECOVERED = "recordsRecovered";
    /**
     * Property: number of jobs (Integer).
     *
     * @since 1.1
     */
    public static final String JOBS = "jobs";
    /**
     * Property: running jobs put back in the queue (Integer).
     *
     * @since 1.1
     */
    public static final String REQUEUED = "requeued";
    /**
     * Property: journal records lost (Integer).
     *
     * @since 1.1
     */
    public static final String LOST = "lost";
    /**
     * Property: what was lost, one text per record (String[]).
     *
     * @since 1.1
     */
    public static final String PROBLEMS = "problems";
    /**
     * Property: where a damaged file was moved (String).
     *
     * @since 1.1
     */
    public static final String MOVED_TO = "movedTo";
    /** Property: the event's payload as a JSON string, nulls kept (String). */
    public static final String JSON = "json";

    private BatchEvents() {
    }
}

package ai.batch.queue;

/**
 * EventAdmin topics and property keys of the batch queue. Every event is posted asynchronously
 * ({@code postEvent}); subscribe with {@code event.topics=ai_batch/*} ({@link #TOPIC_ALL}).
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
    /** Property: the event's payload as a JSON string, nulls kept (String). */
    public static final String JSON = "json";

    private BatchEvents() {
    }
}

package ai.batch.queue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a job stands.
 *
 * <pre>
 * QUEUED ──markRunning──► RUNNING ──markCompleted──► COMPLETED | COMPLETED_WITH_ERRORS
 *   │                        │
 *   └────────cancelJob───────┴──► CANCELLED
 * COMPLETED_WITH_ERRORS | CANCELLED ──retryFailed──► QUEUED   (only when some item FAILED)
 * </pre>
 *
 * <p>In JSON and in event properties the constants appear as their {@link #wireName() wire names}:
 * {@code "queued"}, {@code "running"}, {@code "completed"}, {@code "completedWithErrors"}, {@code "cancelled"}.
 */
public enum BatchJobStatus {
    /** Waiting in the plan for its turn. */
    QUEUED("queued"),
    /** Its items are being processed. */
    RUNNING("running"),
    /** Finished, and no item FAILED. */
    COMPLETED("completed"),
    /** Finished, and at least one item FAILED. */
    COMPLETED_WITH_ERRORS("completedWithErrors"),
    /** Cancelled as a whole. */
    CANCELLED("cancelled");

    private final String wireName;

    BatchJobStatus(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name used in JSON and in event properties, e.g. {@code "completedWithErrors"}.
     *
     * @return the lower camel case wire name
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * Whether the job has finished: COMPLETED, COMPLETED_WITH_ERRORS or CANCELLED.
     *
     * @return {@code true} for finished states
     */
    public boolean isFinished() {
        return this != QUEUED && this != RUNNING;
    }

    /**
     * The constant with the given wire name.
     *
     * @param wireName a name such as {@code "completedWithErrors"}
     * @return the matching constant
     * @throws IllegalArgumentException if no constant has that wire name
     */
    @JsonCreator
    public static BatchJobStatus fromWireName(String wireName) {
        return WireNames.find(values(), BatchJobStatus::wireName, wireName, "job status");
    }
}

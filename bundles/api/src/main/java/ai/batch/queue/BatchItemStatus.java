package ai.batch.queue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where one item of a job stands.
 *
 * <pre>
 * PENDING ──► RUNNING ──► COMPLETED | FAILED | SKIPPED
 *    │           │
 *    └───────────┴──► CANCELLED        (cancellation always wins)
 * FAILED ──retryFailed──► PENDING
 * </pre>
 *
 * <p>COMPLETED, FAILED, SKIPPED and CANCELLED are <em>final</em> states. In JSON and in event properties the
 * constants appear as their {@link #wireName() wire names}: {@code "pending"}, {@code "running"}, …
 */
public enum BatchItemStatus {
    /** Waiting to be processed. */
    PENDING("pending"),
    /** A handler is working on it right now. */
    RUNNING("running"),
    /** The handler succeeded. */
    COMPLETED("completed"),
    /** The handler failed, threw, returned nothing or timed out; {@link BatchItem#error()} says why. */
    FAILED("failed"),
    /** Not processed because the job's policy is {@link OverwritePolicy#SKIP} and the handler said so. */
    SKIPPED("skipped"),
    /** Cancelled by the user, alone or with its job. Nothing changes a cancelled item afterwards. */
    CANCELLED("cancelled");

    private final String wireName;

    BatchItemStatus(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name used in JSON and in event properties, e.g. {@code "completed"}.
     *
     * @return the lower camel case wire name
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * Whether this is a final state (COMPLETED, FAILED, SKIPPED or CANCELLED).
     *
     * @return {@code true} for final states
     */
    public boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }

    /**
     * The constant with the given wire name.
     *
     * @param wireName a name such as {@code "failed"}
     * @return the matching constant
     * @throws IllegalArgumentException if no constant has that wire name
     */
    @JsonCreator
    public static BatchItemStatus fromWireName(String wireName) {
        return WireNames.find(values(), BatchItemStatus::wireName, wireName, "item status");
    }
}

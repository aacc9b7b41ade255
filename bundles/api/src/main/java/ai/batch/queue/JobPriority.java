package ai.batch.queue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How urgent a job is. The planner runs a higher priority first, even at the cost of a model load; among equal
 * priorities it groups jobs by model. No priority lets a job wait past the planner's maximum wait: a job that has
 * waited that long runs next whatever its priority. Wire names: {@code "low"}, {@code "normal"}, {@code "high"}.
 *
 * @since 1.1
 */
public enum JobPriority {
    /** Runs after normal jobs (background work). */
    LOW("low"),
    /** The default. */
    NORMAL("normal"),
    /** Runs before normal and low jobs. */
    HIGH("high");

    private final String wireName;

    JobPriority(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name used in JSON and event properties */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * The constant with the given wire name.
     *
     * @param wireName {@code "low"}, {@code "normal"} or {@code "high"}
     * @return the matching constant
     * @throws IllegalArgumentException for any other name
     */
    @JsonCreator
    public static JobPriority fromWireName(String wireName) {
        return WireNames.find(values(), JobPriority::wireName, wireName, "job priority");
    }
}

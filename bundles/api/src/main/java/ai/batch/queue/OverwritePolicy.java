package ai.batch.queue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What to do with items that already have a result. Wire names: {@code "skip"}, {@code "overwrite"}.
 */
public enum OverwritePolicy {
    /**
     * Ask the handler first: an item for which
     * {@link ai.batch.queue.handler.BatchItemHandler#shouldSkip(Object, String)} returns {@code true} becomes
     * {@link BatchItemStatus#SKIPPED} without being processed.
     */
    SKIP("skip"),
    /** Process every item, whatever the handler's {@code shouldSkip} says. */
    OVERWRITE("overwrite");

    private final String wireName;

    OverwritePolicy(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name used in JSON.
     *
     * @return {@code "skip"} or {@code "overwrite"}
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * The constant with the given wire name.
     *
     * @param wireName {@code "skip"} or {@code "overwrite"}
     * @return the matching constant
     * @throws IllegalArgumentException for any other name
     */
    @JsonCreator
    public static OverwritePolicy fromWireName(String wireName) {
        return WireNames.find(values(), OverwritePolicy::wireName, wireName, "overwrite policy");
    }
}

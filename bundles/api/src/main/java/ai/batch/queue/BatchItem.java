package ai.batch.queue;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One item of a job, as an immutable snapshot: its id, the caller's data, and where it stands.
 *
 * <p>JSON: {@code {"id":…,"data":…,"status":"pending","error":null,"durationMs":null,"sizeBucket":"medium",
 * "output":null}}, plus {@code "attempts"} for an item a handler was called for more than once. Deserialize with a
 * {@code TypeReference} naming the data type.
 *
 * @param <D> the caller's data type (a path, a document id, …); the queue never looks inside it
 */
@JsonPropertyOrder({"id", "data", "status", "error", "durationMs", "sizeBucket", "output", "attempts"})
public final class BatchItem<D> {

    private final String id;
    private final D data;
    private final BatchItemStatus status;
    private final String error;
    private final Long durationMs;
    private final SizeBucket sizeBucket;
    private final String output;
    private final int attempts;

    @JsonCreator
    private BatchItem(@JsonProperty("id") String id, @JsonProperty("data") D data,
            @JsonProperty("status") BatchItemStatus status, @JsonProperty("error") String error,
            @JsonProperty("durationMs") Long durationMs, @JsonProperty("sizeBucket") SizeBucket sizeBucket,
            @JsonProperty("output") String output, @JsonProperty("attempts") Integer attempts) {
        this.id = id;
        this.data = data;
        this.status = status;
        this.error = error;
        this.durationMs = durationMs;
        this.sizeBucket = sizeBucket;
        this.output = output;
        this.attempts = attempts == null ? 0 : attempts;
    }

    /**
     * A new {@link BatchItemStatus#PENDING} item. The arguments are checked when the job is enqueued
     * ({@link BatchQueue#enqueue}), not here.
     *
     * @param <D> the data type
     * @param id the item id, unique within its job, not blank
     * @param data the caller's data, handed to the handler as is; may be {@code null}
     * @param sizeBucket the item's size class, used for ETA learning; not {@code null}
     * @return a pending item with no error, duration or output
     */
    public static <D> BatchItem<D> of(String id, D data, SizeBucket sizeBucket) {
        return new BatchItem<>(id, data, BatchItemStatus.PENDING, null, null, sizeBucket, null, 0);
    }

    /**
     * A copy in another state, as the queue records it after an update. Clients rarely need this: the
     * queue accepts only PENDING items on {@link BatchQueue#enqueue}.
     *
     * @param newStatus the new status
     * @param newError the error, or {@code null}
     * @param newDurationMs the processing time in milliseconds, or {@code null}
     * @param newOutput the handler's output, or {@code null}
     * @return a copy with the same id, data and size bucket
     */
    public BatchItem<D> withState(BatchItemStatus newStatus, String newError, Long newDurationMs,
            String newOutput) {
        return new BatchItem<>(id, data, newStatus, newError, newDurationMs, sizeBucket, newOutput, attempts);
    }

    /**
     * A copy with another attempt count.
     *
     * @param newAttempts how many times a handler was called for the item
     * @return the copy
     * @since 1.1
     */
    public BatchItem<D> withAttempts(int newAttempts) {
        return new BatchItem<>(id, data, status, error, durationMs, sizeBucket, output, newAttempts);
    }

    /**
     * How many times a handler was called for this item since it was enqueued (or last re-queued with
     * {@code retryFailed}). With automatic retries ({@code retry.maxAttempts} above 1) a PENDING item with an
     * {@link #error()} and attempts above 0 is waiting for its next attempt.
     *
     * @return the number of attempts, 0 before the first
     * @since 1.1
     */
    public int attempts() {
        return attempts;
    }

    @JsonProperty("attempts")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Integer attemptsJson() {
        return attempts > 1 ? attempts : null; // keeps the original JSON shape for items run once
    }

    /** @return the item id, unique within its job */
    @JsonProperty("id")
    public String id() {
        return id;
    }

    /** @return the caller's data, or {@code null} */
    @JsonProperty("data")
    public D data() {
        return data;
    }

    /** @return where the item stands */
    @JsonProperty("status")
    public BatchItemStatus status() {
        return status;
    }

    /** @return why the item FAILED, or {@code null} */
    @JsonProperty("error")
    public String error() {
        return error;
    }

    /** @return how long the handler took, in milliseconds, or {@code null} if it has not run */
    @JsonProperty("durationMs")
    public Long durationMs() {
        return durationMs;
    }

    /** @return the size class used for ETA learning */
    @JsonProperty("sizeBucket")
    public SizeBucket sizeBucket() {
        return sizeBucket;
    }

    /** @return the output of a successful handler ({@code ItemResult.output()}), or {@code null} */
    @JsonProperty("output")
    public String output() {
        return output;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof BatchItem<?> that)) {
            return false;
        }
        return Objects.equals(id, that.id) && Objects.equals(data, that.data) && status == that.status
                && Objects.equals(error, that.error) && Objects.equals(durationMs, that.durationMs)
                && sizeBucket == that.sizeBucket && Objects.equals(output, that.output) && attempts == that.attempts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, data, status, error, durationMs, sizeBucket, output, attempts);
    }

    @Override
    public String toString() {
        return "BatchItem[" + id + " " + status + (error == null ? "" : " error=" + error)
                + (durationMs == null ? "" : " " + durationMs + "ms") + " " + sizeBucket + "]";
    }
}

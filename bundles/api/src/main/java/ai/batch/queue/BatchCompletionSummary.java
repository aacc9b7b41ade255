package ai.batch.queue;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The outcome of a job, as returned by {@link BatchQueue#markCompleted(String)} and carried by the
 * {@code ai_batch/job_completed} event.
 *
 * <ul>
 * <li>{@code total}: all items of the job;</li>
 * <li>{@code succeeded}: COMPLETED items; {@code failed}: FAILED items; {@code skipped}: SKIPPED plus
 * CANCELLED items;</li>
 * <li>{@code totalDurationMs}: the sum of every item duration that is present, in milliseconds;</li>
 * <li>{@code avgDurationMs}: {@code totalDurationMs / (succeeded + failed)}, rounded down, or 0 when no item
 * succeeded or failed.</li>
 * </ul>
 *
 * <p>JSON: {@code {"jobId":…,"operation":…,"resourceKey":…,"total":…,"succeeded":…,"failed":…,"skipped":…,
 * "totalDurationMs":…,"avgDurationMs":…}}.
 */
@JsonPropertyOrder({"jobId", "operation", "resourceKey", "total", "succeeded", "failed", "skipped",
    "totalDurationMs", "avgDurationMs"})
public final class BatchCompletionSummary {

    private final String jobId;
    private final String operation;
    private final String resourceKey;
    private final int total;
    private final int succeeded;
    private final int failed;
    private final int skipped;
    private final long totalDurationMs;
    private final long avgDurationMs;

    @JsonCreator
    private BatchCompletionSummary(@JsonProperty("jobId") String jobId, @JsonProperty("operation") String operation,
            @JsonProperty("resourceKey") String resourceKey, @JsonProperty("total") int total,
            @JsonProperty("succeeded") int succeeded, @JsonProperty("failed") int failed,
            @JsonProperty("skipped") int skipped, @JsonProperty("totalDurationMs") long totalDurationMs,
            @JsonProperty("avgDurationMs") long avgDurationMs) {
        this.jobId = jobId;
        this.operation = operation;
        this.resourceKey = resourceKey;
        this.total = total;
        this.succeeded = succeeded;
        this.failed = failed;
        this.skipped = skipped;
        this.totalDurationMs = totalDurationMs;
        this.avgDurationMs = avgDurationMs;
    }

    /**
     * Summarizes a job snapshot with the rules in the class description.
     *
     * @param job the job, in any state
     * @return its summary
     */
    public static BatchCompletionSummary of(BatchJob<?> job) {
        int succeeded = 0;
        int failed = 0;
        int skipped = 0;
        long totalDuration = 0;
        for (BatchItem<?> item : job.items()) {
            switch (item.status()) {
                case COMPLETED -> succeeded++;
                case FAILED -> failed++;
                case SKIPPED, CANCELLED -> skipped++;
                default -> {
                    // pending or running items count only towards the total
                }
            }
            if (item.durationMs() != null) {
                totalDuration += item.durationMs();
            }
        }
        int processed = succeeded + failed;
        long average = processed == 0 ? 0 : totalDuration / processed;
        return new BatchCompletionSummary(job.id(), job.operation(), job.resourceKey(), job.items().size(),
                succeeded, failed, skipped, totalDuration, average);
    }

    /** @return the job's id */
    @JsonProperty("jobId")
    public String jobId() {
        return jobId;
    }

    /** @return the job's operation */
    @JsonProperty("operation")
    public String operation() {
        return operation;
    }

    /** @return the job's resource key (model) */
    @JsonProperty("resourceKey")
    public String resourceKey() {
        return resourceKey;
    }

    /** @return the number of items in the job */
    @JsonProperty("total")
    public int total() {
        return total;
    }

    /** @return the number of COMPLETED items */
    @JsonProperty("succeeded")
    public int succeeded() {
        return succeeded;
    }

    /** @return the number of FAILED items */
    @JsonProperty("failed")
    public int failed() {
        return failed;
    }

    /** @return the number of SKIPPED plus CANCELLED items */
    @JsonProperty("skipped")
    public int skipped() {
        return skipped;
    }

    /** @return the sum of all item durations present, in milliseconds */
    @JsonProperty("totalDurationMs")
    public long totalDurationMs() {
        return totalDurationMs;
    }

    /** @return {@code totalDurationMs / (succeeded + failed)} rounded down, or 0 */
    @JsonProperty("avgDurationMs")
    public long avgDurationMs() {
        return avgDurationMs;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof BatchCompletionSummary that)) {
            return false;
        }
        return Objects.equals(jobId, that.jobId) && Objects.equals(operation, that.operation)
                && Objects.equals(resourceKey, that.resourceKey)
                && total == that.total && succeeded == that.succeeded && failed == that.failed
                && skipped == that.skipped && totalDurationMs == that.totalDurationMs
                && avgDurationMs == that.avgDurationMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, operation, resourceKey, total, succeeded, failed, skipped, totalDurationMs,
                avgDurationMs);
    }

    @Override
    public String toString() {
        return "BatchCompletionSummary[job " + jobId + " " + resourceKey + "/" + operation + ": " + succeeded
                + " ok, " + failed + " failed, " + skipped + " skipped of " + total + ", " + totalDurationMs
                + " ms total, " + avgDurationMs + " ms avg]";
    }
}

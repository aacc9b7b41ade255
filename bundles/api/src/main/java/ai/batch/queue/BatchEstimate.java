package ai.batch.queue;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * When a job will start and finish, as {@link BatchQueue#estimate(String)} sees it now.
 *
 * <ul>
 * <li>{@code remainingMs}: processing time of the job's PENDING and RUNNING items (the time already spent on
 * a running item is taken off), plus the expected model load if the job has yet to load its model; {@code null}
 * when nothing was learned for its model and operation.</li>
 * <li>{@code expectedStart}: for a QUEUED job, now plus the remaining work of every job planned before it and the
 * model loads between them; {@code null} for a job that has started or when some job ahead has no estimate.</li>
 * <li>{@code expectedFinish}: start (or now, if running) plus {@code remainingMs}; {@code null} when unknown;
 * for a finished job its {@code completedAt}.</li>
 * <li>{@code sampleCount}: how many timing samples the estimate rests on; {@code confidence}: from 0 (a guess
 * from other sizes or none) to 1 (every remaining item estimated from at least five samples of its own size).</li>
 * </ul>
 *
 * <p>JSON: {@code {"jobId":…,"remainingMs":…,"expectedStart":"2026-…Z","expectedFinish":…,"sampleCount":…,
 * "confidence":…}}.
 *
 * @since 1.1
 */
@JsonPropertyOrder({"jobId", "remainingMs", "expectedStart", "expectedFinish", "sampleCount", "confidence"})
public final class BatchEstimate {

    private final String jobId;
    private final Long remainingMs;
    private final Instant expectedStart;
    private final Instant expectedFinish;
    private final long sampleCount;
    private final double confidence;

    private BatchEstimate(String jobId, Long remainingMs, Instant expectedStart, Instant expectedFinish,
            long sampleCount, double confidence) {
        this.jobId = jobId;
        this.remainingMs = remainingMs;
        this.expectedStart = expectedStart;
        this.expectedFinish = expectedFinish;
        this.sampleCount = sampleCount;
        this.confidence = confidence;
    }

    /**
     * An estimate, as the queue computes it.
     *
     * @param jobId the job
     * @param remainingMs remaining processing time, or {@code null} if unknown
     * @param expectedStart expected start, or {@code null}
     * @param expectedFinish expected finish, or {@code null}
     * @param sampleCount samples behind the estimate
     * @param confidence 0 to 1
     * @return the estimate
     * @throws IllegalArgumentException if {@code confidence} is outside 0..1 or {@code sampleCount} negative
     */
    public static BatchEstimate of(String jobId, Long remainingMs, Instant expectedStart, Instant expectedFinish,
            long sampleCount, double confidence) {
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be within 0..1, was " + confidence);
        }
        if (sampleCount < 0) {
            throw new IllegalArgumentException("sampleCount must not be negative, was " + sampleCount);
        }
        return new BatchEstimate(jobId, remainingMs, expectedStart, expectedFinish, sampleCount, confidence);
    }

    /** @return the job id */
    @JsonProperty("jobId")
    public String jobId() {
        return jobId;
    }

    /** @return remaining processing time in milliseconds, or {@code null} if unknown */
    @JsonProperty("remainingMs")
    public Long remainingMs() {
        return remainingMs;
    }

    /** @return when a queued job is expected to start, or {@code null} */
    public Instant expectedStart() {
        return expectedStart;
    }

    /** @return when the job is expected to finish, or {@code null} */
    public Instant expectedFinish() {
        return expectedFinish;
    }

    /** @return the number of timing samples behind the estimate */
    @JsonProperty("sampleCount")
    public long sampleCount() {
        return sampleCount;
    }

    /** @return 0 (a guess) to 1 (well measured) */
    @JsonProperty("confidence")
    public double confidence() {
        return confidence;
    }

    @JsonProperty("expectedStart")
    private String expectedStartJson() {
        return expectedStart == null ? null : expectedStart.toString();
    }

    @JsonProperty("expectedFinish")
    private String expectedFinishJson() {
        return expectedFinish == null ? null : expectedFinish.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BatchEstimate that && Objects.equals(jobId, that.jobId)
                && Objects.equals(remainingMs, that.remainingMs) && Objects.equals(expectedStart, that.expectedStart)
                && Objects.equals(expectedFinish, that.expectedFinish) && sampleCount == that.sampleCount
                && Double.compare(confidence, that.confidence) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, remainingMs, expectedStart, expectedFinish, sampleCount, confidence);
    }

    @Override
    public String toString() {
        return "BatchEstimate[job " + jobId + ": remaining " + remainingMs + " ms, start " + expectedStart
                + ", finish " + expectedFinish + ", " + sampleCount + " samples, confidence " + confidence + "]";
    }
}

package ai.batch.queue;

import java.time.Instant;
import java.util.List;

import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.RetryableException;

/**
 * Uses every value type's factories, copies and accessors the way a client without Jackson would. Loaded by
 * {@link ApiWithoutJacksonTest} in a class loader that cannot see {@code com.fasterxml.jackson}, so it must not
 * use JUnit or AssertJ either: it throws {@link AssertionError} itself.
 */
public final class ApiWithoutJacksonUse implements Runnable {

    @Override
    public void run() {
        BatchItem<String> item = BatchItem.of("img-1", "/a.jpg", SizeBucket.fromDimensions(1000, 1000));
        check(item.status() == BatchItemStatus.PENDING && item.sizeBucket() == SizeBucket.MEDIUM, item);
        BatchItem<String> done = item.withState(BatchItemStatus.COMPLETED, null, 42L, "tags").withAttempts(2);
        check(done.attempts() == 2 && "tags".equals(done.output()) && !done.equals(item), done);

        BatchJob<String> job = BatchJob.of("llava:13b", "tag", OverwritePolicy.SKIP, List.of(item))
                .withId("job-1").withPriority(JobPriority.HIGH);
        check("job-1".equals(job.id()) && job.priority() == JobPriority.HIGH && job.items().size() == 1, job);
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        BatchJob<String> finished = BatchJob.restore("job-1", "llava:13b", "tag", OverwritePolicy.OVERWRITE,
                List.of(done), BatchJobStatus.COMPLETED, t0, t0, t0.plusSeconds(1), false, null, JobPriority.LOW);
        check(finished.hashCode() == finished.hashCode() && finished.toString().contains("job-1"), finished);

        BatchCompletionSummary summary = BatchCompletionSummary.of(finished);
        check(summary.succeeded() == 1 && summary.totalDurationMs() == 42L, summary);
        BatchEstimate estimate = BatchEstimate.of("job-1", 1_000L, t0, t0.plusSeconds(1), 3, 0.5);
        check(estimate.remainingMs() == 1_000L, estimate);

        check(ItemResult.success().isSuccess(), ItemResult.success());
        check("out".equals(ItemResult.successWithOutput("out").output()), ItemResult.successWithOutput("out"));
        check("bad".equals(ItemResult.failure("bad").error()), ItemResult.failure("bad"));
        check(ItemResult.retryableFailure("busy").isRetryable(), ItemResult.retryableFailure("busy"));
        check("busy".equals(new RetryableException("busy").getMessage()), "RetryableException");

        check(SizeBucket.fromPixelCount(2_000_000L) == SizeBucket.LARGE, SizeBucket.fromPixelCount(2_000_000L));
        for (BatchItemStatus status : BatchItemStatus.values()) {
            check(BatchItemStatus.fromWireName(status.wireName()) == status, status);
        }
        for (BatchJobStatus status : BatchJobStatus.values()) {
            check(BatchJobStatus.fromWireName(status.wireName()) == status, status);
        }
        for (OverwritePolicy policy : OverwritePolicy.values()) {
            check(OverwritePolicy.fromWireName(policy.wireName()) == policy, policy);
        }
        for (JobPriority priority : JobPriority.values()) {
            check(JobPriority.fromWireName(priority.wireName()) == priority, priority);
        }
        for (SizeBucket bucket : SizeBucket.values()) {
            check(SizeBucket.fromWireName(bucket.wireName()) == bucket, bucket);
        }
        check(BatchEvents.TOPIC_ALL.startsWith("ai_batch/"), BatchEvents.TOPIC_ALL);
    }

    private static void check(boolean condition, Object subject) {
        if (!condition) {
            throw new AssertionError("unexpected value without Jackson: " + subject);
        }
    }
}

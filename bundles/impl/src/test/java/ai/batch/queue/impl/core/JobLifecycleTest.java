package ai.batch.queue.impl.core;

import static ai.batch.queue.BatchItemStatus.CANCELLED;
import static ai.batch.queue.BatchItemStatus.COMPLETED;
import static ai.batch.queue.BatchItemStatus.FAILED;
import static ai.batch.queue.BatchItemStatus.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;

/** markRunning and markCompleted: the job-level transitions and the summary. */
class JobLifecycleTest extends QueueTestSupport {

    @Test
    void markRunningStartsQueuedJobAndSetsStartedAt() {
        enqueue("j1", "a");
        clock.advanceSeconds(5);

        queue.markRunning("j1");

        BatchJob<?> job = get("j1");
        assertThat(job.status()).isEqualTo(BatchJobStatus.RUNNING);
        assertThat(job.startedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(job.createdAt()).isEqualTo(T0);
        assertThat(job.completedAt()).isNull();
        assertThat(queue.hasRunningJob()).isTrue();
        assertThat(queue.queuedCount()).isZero();
        assertThat(queue.nextQueued()).isEmpty();
    }

    @Test
    void markRunningMayStartAJobThatIsNotNext() {
        enqueue("j1", "a");
        enqueue("j2", "a");

        queue.markRunning("j2");

        assertThat(status("j2")).isEqualTo(BatchJobStatus.RUNNING);
        assertThat(queue.nextQueued()).map(BatchJob::id).contains("j1");
    }

    @Test
    void markRunningOnRunningJobIsRejectedNamingJobAndStates() {
        enqueue("j1", "a");
        queue.markRunning("j1");

        assertRejected(() -> queue.markRunning("j1"), IllegalStateException.class, "j1", "RUNNING", "QUEUED");
    }

    @Test
    void markRunningOnCompletedJobIsRejected() {
        enqueue("j1", "a");
        runToEnd("j1", COMPLETED);

        assertRejected(() -> queue.markRunning("j1"), IllegalStateException.class, "j1", "COMPLETED", "QUEUED");
    }

    @Test
    void markRunningOnJobCompletedWithErrorsIsRejected() {
        enqueue("j1", "a");
        runToEnd("j1", FAILED);

        assertRejected(() -> queue.markRunning("j1"), IllegalStateException.class, "j1", "COMPLETED_WITH_ERRORS",
                "QUEUED");
    }

    @Test
    void markRunningOnCancelledJobIsRejected() {
        enqueue("j1", "a");
        queue.cancelJob("j1");

        assertRejected(() -> queue.markRunning("j1"), IllegalStateException.class, "j1", "CANCELLED", "QUEUED");
    }

    @Test
    void markRunningOnUnknownJobNamesTheId() {
        enqueue("j1", "a");

        assertRejected(() -> queue.markRunning("nope-17"), NoSuchElementException.class, "nope-17");
    }

    @Test
    void markCompletedWithAllItemsCompletedGivesCompleted() {
        enqueue("j1", "a", "b");
        queue.markRunning("j1");
        queue.updateItem("j1", "a", COMPLETED, null, 100L);
        queue.updateItem("j1", "b", COMPLETED, null, 200L);
        clock.advanceSeconds(7);

        BatchCompletionSummary summary = queue.markCompleted("j1");

        BatchJob<?> job = get("j1");
        assertThat(job.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(job.completedAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(queue.hasRunningJob()).isFalse();
        assertThat(summary.jobId()).isEqualTo("j1");
        assertThat(summary.resourceKey()).isEqualTo("llava:13b");
        assertThat(summary.operation()).isEqualTo("tag");
        assertThat(summary.total()).isEqualTo(2);
        assertThat(summary.succeeded()).isEqualTo(2);
        assertThat(summary.failed()).isZero();
        assertThat(summary.skipped()).isZero();
        assertThat(summary.totalDurationMs()).isEqualTo(300L);
        assertThat(summary.avgDurationMs()).isEqualTo(150L);
    }

    @Test
    void markCompletedWithAFailedItemGivesCompletedWithErrors() {
        enqueue("j1", "a", "b");
        queue.markRunning("j1");
        queue.updateItem("j1", "a", COMPLETED, null, 100L);
        queue.updateItem("j1", "b", FAILED, "boom", 50L);

        BatchCompletionSummary summary = queue.markCompleted("j1");

        assertThat(status("j1")).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.succeeded()).isEqualTo(1);
    }

    @Test
    void skippedAndCancelledItemsDoNotMakeErrors() {
        enqueue("j1", "a", "b", "c");
        queue.markRunning("j1");
        queue.updateItem("j1", "a", COMPLETED, null, 10L);
        queue.updateItem("j1", "b", SKIPPED, null, null);
        queue.cancelItem("j1", "c");

        BatchCompletionSummary summary = queue.markCompleted("j1");

        assertThat(status("j1")).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(summary.skipped()).as("SKIPPED + CANCELLED").isEqualTo(2);
        assertThat(summary.succeeded()).isEqualTo(1);
    }

    @Test
    void summaryArithmeticFollowsContract() {
        enqueue("j1", "c1", "c2", "f1", "s1", "x1");
        queue.markRunning("j1");
        queue.updateItem("j1", "c1", COMPLETED, null, 100L);
        queue.updateItem("j1", "c2", COMPLETED, null, 101L);
        queue.updateItem("j1", "f1", FAILED, "bad", 33L);
        queue.updateItem("j1", "s1", SKIPPED, null, 4L);
        queue.updateItem("j1", "x1", CANCELLED, null, 2L);

        BatchCompletionSummary summary = queue.markCompleted("j1");

        assertThat(summary.total()).isEqualTo(5);
        assertThat(summary.succeeded()).isEqualTo(2);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.skipped()).isEqualTo(2);
        assertThat(summary.totalDurationMs()).as("every duration present").isEqualTo(240L);
        assertThat(summary.avgDurationMs()).as("240 / 3 = 80").isEqualTo(80L);
        assertThat(summary).isEqualTo(BatchCompletionSummary.of(get("j1")));
    }

    @Test
    void summaryAverageIsFlooredAndZeroWhenNothingProcessed() {
        enqueue("j1", "a", "b", "c");
        queue.markRunning("j1");
        queue.updateItem("j1", "a", COMPLETED, null, 10L);
        queue.updateItem("j1", "b", COMPLETED, null, 10L);
        queue.updateItem("j1", "c", FAILED, "x", 9L);
        assertThat(queue.markCompleted("j1").avgDurationMs()).as("29 / 3 floored").isEqualTo(9L);

        enqueue("j2", "a", "b");
        queue.markRunning("j2");
        queue.updateItem("j2", "a", SKIPPED, null, 25L);
        queue.cancelItem("j2", "b");
        BatchCompletionSummary summary = queue.markCompleted("j2");
        assertThat(summary.totalDurationMs()).isEqualTo(25L);
        assertThat(summary.avgDurationMs()).isZero();
    }

    @Test
    void markCompletedOnQueuedJobIsRejected() {
        enqueue("j1", "a");

        assertRejected(() -> queue.markCompleted("j1"), IllegalStateException.class, "j1", "QUEUED", "RUNNING");
    }

    @Test
    void markCompletedOnCompletedJobIsRejected() {
        enqueue("j1", "a");
        runToEnd("j1", COMPLETED);

        assertRejected(() -> queue.markCompleted("j1"), IllegalStateException.class, "j1", "COMPLETED", "RUNNING");
    }

    @Test
    void markCompletedOnJobCompletedWithErrorsIsRejected() {
        enqueue("j1", "a");
        runToEnd("j1", FAILED);

        assertRejected(() -> queue.markCompleted("j1"), IllegalStateException.class, "j1",
                "COMPLETED_WITH_ERRORS", "RUNNING");
    }

    @Test
    void markCompletedOnUnknownJobNamesTheId() {
        assertRejected(() -> queue.markCompleted("ghost"), NoSuchElementException.class, "ghost");
    }

    @Test
    void markCompletedOnCancelledRunningJobKeepsCancelledAndItsCompletedAt() {
        enqueue("j1", "a", "b");
        queue.markRunning("j1");
        queue.updateItem("j1", "a", COMPLETED, null, 40L);
        clock.advanceSeconds(3);
        queue.cancelJob("j1");
        BatchJob<?> cancelled = get("j1");
        clock.advanceSeconds(60);

        BatchCompletionSummary summary = queue.markCompleted("j1");

        assertThat(get("j1")).isEqualTo(cancelled);
        assertThat(get("j1").status()).isEqualTo(BatchJobStatus.CANCELLED);
        assertThat(get("j1").completedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(summary.succeeded()).isEqualTo(1);
        assertThat(summary.skipped()).isEqualTo(1);
        assertThat(summary.totalDurationMs()).isEqualTo(40L);
    }

    @Test
    void markCompletedOnJobCancelledWhileQueuedKeepsCancelled() {
        enqueue("j1", "a", "b");
        queue.cancelJob("j1");
        BatchJob<?> cancelled = get("j1");
        clock.advanceSeconds(60);

        BatchCompletionSummary summary = queue.markCompleted("j1");
        BatchCompletionSummary again = queue.markCompleted("j1");

        assertThat(get("j1")).isEqualTo(cancelled);
        assertThat(summary.skipped()).isEqualTo(2);
        assertThat(summary.total()).isEqualTo(2);
        assertThat(again).isEqualTo(summary);
        assertThat(queue.queuedCount()).isZero();
    }

    @Test
    void completedJobStaysInListWithItsPosition() {
        enqueue("j1", "a");
        enqueue("j2", "a");
        runToEnd("j1", COMPLETED);

        assertThat(queue.listJobs()).extracting(BatchJob::id).containsExactly("j1", "j2");
        assertThat(queue.queuedCount()).isEqualTo(1);
    }

    @Test
    void startedAtIsKeptAfterCompletion() {
        enqueue("j1", "a");
        clock.advanceSeconds(1);
        queue.markRunning("j1");
        clock.advanceSeconds(1);
        queue.updateItem("j1", "a", COMPLETED, null, 1L);
        queue.markCompleted("j1");

        assertThat(get("j1").startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(get("j1").completedAt()).isEqualTo(T0.plusSeconds(2));
    }
}

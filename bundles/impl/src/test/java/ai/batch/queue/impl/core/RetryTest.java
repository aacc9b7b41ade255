package ai.batch.queue.impl.core;

import static ai.batch.queue.BatchItemStatus.CANCELLED;
import static ai.batch.queue.BatchItemStatus.COMPLETED;
import static ai.batch.queue.BatchItemStatus.FAILED;
import static ai.batch.queue.BatchItemStatus.PENDING;
import static ai.batch.queue.BatchItemStatus.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.SizeBucket;

/** retryFailed. */
class RetryTest extends QueueTestSupport {

    /** A finished job: ok COMPLETED, bad1 FAILED, skip SKIPPED, bad2 FAILED, gone CANCELLED. */
    private BatchJob<?> finishedWithErrors() {
        enqueue("j", "ok", "bad1", "skip", "bad2", "gone");
        queue.markRunning("j");
        queue.updateItem("j", "ok", COMPLETED, null, 100L, "tags");
        queue.updateItem("j", "bad1", FAILED, "timeout", 200L);
        queue.updateItem("j", "skip", SKIPPED, null, 5L);
        queue.updateItem("j", "bad2", FAILED, "oom", 300L, "partial");
        queue.cancelItem("j", "gone");
        clock.advanceSeconds(10);
        queue.markCompleted("j");
        return get("j");
    }

    @Test
    void retryTurnsOnlyFailedItemsBackToPendingWithErrorAndDurationCleared() {
        BatchJob<?> before = finishedWithErrors();
        clock.advanceSeconds(10);

        queue.retryFailed("j");

        BatchJob<?> after = get("j");
        assertThat(after.items()).extracting(BatchItem::status)
                .containsExactly(COMPLETED, PENDING, SKIPPED, PENDING, CANCELLED);
        for (int i : new int[] {1, 3}) {
            BatchItem<?> retried = after.items().get(i);
            assertThat(retried.error()).isNull();
            assertThat(retried.durationMs()).isNull();
            assertThat(retried.id()).isEqualTo(before.items().get(i).id());
            assertThat(retried.data()).isEqualTo(before.items().get(i).data());
            assertThat(retried.sizeBucket()).isEqualTo(before.items().get(i).sizeBucket());
        }
        for (int i : new int[] {0, 2, 4}) {
            assertThat(after.items().get(i)).as("untouched item %s", i).isEqualTo(before.items().get(i));
        }
    }

    @Test
    void retryRequeuesJobAndClearsCompletedAt() {
        finishedWithErrors();

        queue.retryFailed("j");

        BatchJob<?> job = get("j");
        assertThat(job.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(job.completedAt()).isNull();
        assertThat(queue.queuedCount()).isEqualTo(1);
        assertThat(queue.nextQueued()).map(BatchJob::id).contains("j");
    }

    @Test
    void retriedJobRunsAgainAndSummaryKeepsEarlierResults() {
        finishedWithErrors();
        queue.retryFailed("j");

        queue.markRunning("j");
        queue.updateItem("j", "bad1", COMPLETED, null, 40L);
        queue.updateItem("j", "bad2", COMPLETED, null, 60L);
        BatchCompletionSummary summary = queue.markCompleted("j");

        assertThat(status("j")).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(summary.succeeded()).isEqualTo(3);
        assertThat(summary.failed()).isZero();
        assertThat(summary.skipped()).isEqualTo(2);
        assertThat(summary.totalDurationMs()).as("100 + 40 + 5 + 60").isEqualTo(205L);
        assertThat(summary.avgDurationMs()).as("205 / 3").isEqualTo(68L);
    }

    @Test
    void rerunOfRetriedJobGetsNewStartedAtAndCompletedAt() {
        finishedWithErrors();
        queue.retryFailed("j");
        clock.advanceSeconds(100);

        queue.markRunning("j");
        queue.updateItem("j", "bad1", COMPLETED, null, 1L);
        queue.updateItem("j", "bad2", FAILED, "still", 1L);
        clock.advanceSeconds(5);
        queue.markCompleted("j");

        assertThat(get("j").startedAt()).isEqualTo(T0.plusSeconds(110));
        assertThat(get("j").completedAt()).isEqualTo(T0.plusSeconds(115));
        assertThat(status("j")).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
    }

    @Test
    void cancelledJobWithFailedItemsCanBeRetried() {
        enqueue("j", "a", "b");
        queue.markRunning("j");
        queue.updateItem("j", "a", FAILED, "x", 1L);
        queue.cancelJob("j");

        queue.retryFailed("j");

        assertThat(status("j")).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(get("j").items()).extracting(BatchItem::status).containsExactly(PENDING, CANCELLED);
        assertThat(get("j").completedAt()).isNull();
    }

    @Test
    void retryOfCompletedJobWithoutFailuresIsRejected() {
        enqueue("j", "a", "b");
        runToEnd("j", COMPLETED, SKIPPED);

        assertRejected(() -> queue.retryFailed("j"), IllegalStateException.class, "'j'", "COMPLETED", "QUEUED");
    }

    @Test
    void retryOfCancelledJobWithoutFailuresIsRejected() {
        enqueue("j", "a");
        queue.cancelJob("j");

        assertRejected(() -> queue.retryFailed("j"), IllegalStateException.class, "'j'", "CANCELLED");
    }

    @Test
    void retryOfQueuedJobIsRejectedEvenWithAFailedItem() {
        enqueue("j", "a", "b");
        queue.updateItem("j", "a", FAILED, "x", 1L);

        assertRejected(() -> queue.retryFailed("j"), IllegalStateException.class, "'j'", "QUEUED");
    }

    @Test
    void retryOfRunningJobIsRejectedEvenWithAFailedItem() {
        enqueue("j", "a", "b");
        queue.markRunning("j");
        queue.updateItem("j", "a", FAILED, "x", 1L);

        assertRejected(() -> queue.retryFailed("j"), IllegalStateException.class, "'j'", "RUNNING");
    }

    @Test
    void retryingTwiceWithoutRunningIsRejected() {
        finishedWithErrors();
        queue.retryFailed("j");

        assertRejected(() -> queue.retryFailed("j"), IllegalStateException.class, "'j'", "QUEUED");
    }

    @Test
    void retryOfUnknownJobNamesTheId() {
        assertRejected(() -> queue.retryFailed("who"), NoSuchElementException.class, "who");
    }

    @Test
    void retryRecordsNoEtaSamplesAndKeepsExistingOnes() {
        finishedWithErrors();
        long samples = queue.etaSampleCount("llava:13b", "tag", SizeBucket.SMALL);

        queue.retryFailed("j");

        assertThat(samples).as("only the COMPLETED item with a duration").isEqualTo(1);
        assertThat(queue.etaSampleCount("llava:13b", "tag", SizeBucket.SMALL)).isEqualTo(1);
    }
}

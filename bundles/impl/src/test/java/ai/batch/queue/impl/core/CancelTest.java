package ai.batch.queue.impl.core;

import static ai.batch.queue.BatchItemStatus.CANCELLED;
import static ai.batch.queue.BatchItemStatus.COMPLETED;
import static ai.batch.queue.BatchItemStatus.FAILED;
import static ai.batch.queue.BatchItemStatus.PENDING;
import static ai.batch.queue.BatchItemStatus.RUNNING;
import static ai.batch.queue.BatchItemStatus.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;

/** cancelJob and cancelItem. */
class CancelTest extends QueueTestSupport {

    @Test
    void cancellingQueuedJobCancelsAllItemsAndLeavesThePlan() {
        enqueue("j1", "a", "b");
        enqueue("j2", "a");
        clock.advanceSeconds(4);

        queue.cancelJob("j1");

        BatchJob<?> job = get("j1");
        assertThat(job.status()).isEqualTo(BatchJobStatus.CANCELLED);
        assertThat(job.completedAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(job.items()).extracting(BatchItem::status).containsOnly(CANCELLED);
        assertThat(queue.queuedCount()).isEqualTo(1);
        assertThat(queue.nextQueued()).map(BatchJob::id).contains("j2");
    }

    @Test
    void cancellingRunningJobCancelsOnlyOpenItems() {
        enqueue("j", "done", "failed", "skipped", "running", "pending");
        queue.markRunning("j");
        queue.updateItem("j", "done", COMPLETED, null, 10L, "out");
        queue.updateItem("j", "failed", FAILED, "boom", 20L);
        queue.updateItem("j", "skipped", SKIPPED, null, null);
        queue.updateItem("j", "running", RUNNING, null, null);
        BatchJob<?> before = get("j");
        clock.advanceSeconds(9);

        queue.cancelJob("j");

        BatchJob<?> job = get("j");
        assertThat(job.status()).isEqualTo(BatchJobStatus.CANCELLED);
        assertThat(job.completedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(job.startedAt()).isEqualTo(before.startedAt());
        assertThat(job.items()).extracting(BatchItem::status)
                .containsExactly(COMPLETED, FAILED, SKIPPED, CANCELLED, CANCELLED);
        assertThat(job.items().subList(0, 3)).isEqualTo(before.items().subList(0, 3));
        assertThat(queue.hasRunningJob()).isFalse();
    }

    @Test
    void cancellingCancelledJobIsNoOp() {
        enqueue("j", "a");
        queue.cancelJob("j");
        clock.advanceSeconds(100);

        assertNoOp(() -> queue.cancelJob("j"));
        assertThat(get("j").completedAt()).isEqualTo(T0);
    }

    @Test
    void cancellingCompletedJobIsRejected() {
        enqueue("j", "a");
        runToEnd("j", COMPLETED);

        assertRejected(() -> queue.cancelJob("j"), IllegalStateException.class, "'j'", "COMPLETED");
    }

    @Test
    void cancellingJobCompletedWithErrorsIsRejected() {
        enqueue("j", "a", "b");
        queue.markRunning("j");
        queue.updateItem("j", "a", FAILED, "x", 1L);
        queue.markCompleted("j");

        assertRejected(() -> queue.cancelJob("j"), IllegalStateException.class, "'j'", "COMPLETED_WITH_ERRORS");
        assertThat(itemStatus("j", "b")).isEqualTo(PENDING);
    }

    @Test
    void cancellingUnknownJobNamesTheId() {
        assertRejected(() -> queue.cancelJob("missing-3"), NoSuchElementException.class, "missing-3");
    }

    @Test
    void cancellingPendingItemLeavesJobAndOtherItemsAlone() {
        enqueue("j", "a", "b");

        queue.cancelItem("j", "a");

        assertThat(itemStatus("j", "a")).isEqualTo(CANCELLED);
        assertThat(itemStatus("j", "b")).isEqualTo(PENDING);
        assertThat(status("j")).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(queue.queuedCount()).isEqualTo(1);
    }

    @Test
    void cancellingRunningItemCancelsIt() {
        enqueue("j", "a", "b");
        queue.markRunning("j");
        queue.updateItem("j", "a", RUNNING, null, null);

        queue.cancelItem("j", "a");

        assertThat(itemStatus("j", "a")).isEqualTo(CANCELLED);
        assertThat(status("j")).isEqualTo(BatchJobStatus.RUNNING);
    }

    @Test
    void cancellingCancelledItemIsNoOp() {
        enqueue("j", "a", "b");
        queue.markRunning("j");
        queue.cancelItem("j", "a");

        assertNoOp(() -> queue.cancelItem("j", "a"));
    }

    @Test
    void cancellingItemOfCancelledJobIsNoOp() {
        enqueue("j", "a");
        queue.cancelJob("j");

        assertNoOp(() -> queue.cancelItem("j", "a"));
    }

    @ParameterizedTest
    @EnumSource(value = BatchItemStatus.class, names = {"COMPLETED", "FAILED", "SKIPPED"})
    void cancellingFinishedItemIsRejectedNamingItemAndStates(BatchItemStatus finalStatus) {
        enqueue("j", "a", "b");
        queue.markRunning("j");
        queue.updateItem("j", "a", finalStatus, finalStatus == FAILED ? "x" : null, 12L);

        assertRejected(() -> queue.cancelItem("j", "a"), IllegalStateException.class, "'a'", "'j'",
                finalStatus.name(), "CANCELLED");
        assertThat(item("j", "a").durationMs()).isEqualTo(12L);
    }

    @Test
    void cancellingUnknownItemNamesTheId() {
        enqueue("j", "a");

        assertRejected(() -> queue.cancelItem("j", "img-404"), NoSuchElementException.class, "img-404");
    }

    @Test
    void cancellingItemOfUnknownJobNamesTheJob() {
        assertRejected(() -> queue.cancelItem("job-404", "a"), NoSuchElementException.class, "job-404");
    }

    @Test
    void cancelledItemKeepsItsEarlierErrorDurationAndOutputAbsent() {
        enqueue("j", "a");
        queue.markRunning("j");
        queue.updateItem("j", "a", RUNNING, null, null);

        queue.cancelItem("j", "a");

        BatchItem<?> item = item("j", "a");
        assertThat(item.durationMs()).isNull();
        assertThat(item.output()).isNull();
        assertThat(item.id()).isEqualTo("a");
        assertThat(item.data()).isEqualTo("data-a");
    }

    @Test
    void cancellingRunningJobAfterAllItemsCancelledOneByOneStillCancelsIt() {
        enqueue("j", "a", "b");
        queue.markRunning("j");
        queue.cancelItem("j", "a");
        queue.cancelItem("j", "b");

        queue.cancelJob("j");

        assertThat(status("j")).isEqualTo(BatchJobStatus.CANCELLED);
        assertThat(queue.hasRunningJob()).isFalse();
    }
}

package ai.batch.queue.impl.core;

import static ai.batch.queue.BatchItemStatus.CANCELLED;
import static ai.batch.queue.BatchItemStatus.COMPLETED;
import static ai.batch.queue.BatchItemStatus.FAILED;
import static ai.batch.queue.BatchItemStatus.PENDING;
import static ai.batch.queue.BatchItemStatus.RUNNING;
import static ai.batch.queue.BatchItemStatus.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.NoSuchElementException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.SizeBucket;

/** updateItem: allowed transitions, forbidden ones, bad arguments and the cancelled-item rule. */
class ItemUpdateTest extends QueueTestSupport {

    @BeforeEach
    void runningJob() {
        enqueue("j", "a", "b", "c");
        queue.markRunning("j");
    }

    @Test
    void pendingItemStartsRunning() {
        queue.updateItem("j", "a", RUNNING, null, null);

        assertThat(itemStatus("j", "a")).isEqualTo(RUNNING);
        assertThat(itemStatus("j", "b")).isEqualTo(PENDING);
    }

    @Test
    void runningItemCompletesWithDuration() {
        queue.updateItem("j", "a", RUNNING, null, null);
        queue.updateItem("j", "a", COMPLETED, null, 1234L);

        BatchItem<?> item = item("j", "a");
        assertThat(item.status()).isEqualTo(COMPLETED);
        assertThat(item.durationMs()).isEqualTo(1234L);
        assertThat(item.error()).isNull();
        assertThat(item.output()).isNull();
    }

    @Test
    void failedItemKeepsErrorAndDuration() {
        queue.updateItem("j", "a", RUNNING, null, null);
        queue.updateItem("j", "a", FAILED, "CUDA out of memory", 77L);

        BatchItem<?> item = item("j", "a");
        assertThat(item.status()).isEqualTo(FAILED);
        assertThat(item.error()).isEqualTo("CUDA out of memory");
        assertThat(item.durationMs()).isEqualTo(77L);
    }

    @Test
    void outputIsKeptWithTheItem() {
        queue.updateItem("j", "a", COMPLETED, null, 5L, "tags: cat, sunset");

        assertThat(item("j", "a").output()).isEqualTo("tags: cat, sunset");
    }

    @ParameterizedTest
    @EnumSource(value = BatchItemStatus.class, names = {"COMPLETED", "FAILED", "SKIPPED", "CANCELLED"})
    void pendingItemMayGoStraightToAFinalState(BatchItemStatus to) {
        queue.updateItem("j", "a", to, null, null);

        assertThat(itemStatus("j", "a")).isEqualTo(to);
    }

    @ParameterizedTest
    @EnumSource(value = BatchItemStatus.class, names = {"COMPLETED", "FAILED", "SKIPPED", "CANCELLED"})
    void runningItemMayGoToAFinalState(BatchItemStatus to) {
        queue.updateItem("j", "a", RUNNING, null, null);

        queue.updateItem("j", "a", to, null, 3L);

        assertThat(itemStatus("j", "a")).isEqualTo(to);
        assertThat(item("j", "a").durationMs()).isEqualTo(3L);
    }

    @Test
    void itemsOfAQueuedJobMayBeUpdated() {
        enqueue("q", "a");

        queue.updateItem("q", "a", SKIPPED, null, null);

        assertThat(itemStatus("q", "a")).isEqualTo(SKIPPED);
        assertThat(status("q")).isEqualTo(BatchJobStatus.QUEUED);
    }

    @Test
    void zeroDurationIsAccepted() {
        queue.updateItem("j", "a", COMPLETED, null, 0L);

        assertThat(item("j", "a").durationMs()).isZero();
    }

    @Test
    void updateDoesNotChangeJobStatusOrOtherItems() {
        queue.updateItem("j", "a", COMPLETED, null, 1L);
        queue.updateItem("j", "b", COMPLETED, null, 1L);
        queue.updateItem("j", "c", FAILED, "x", 1L);

        assertThat(status("j")).isEqualTo(BatchJobStatus.RUNNING);
        assertThat(get("j").completedAt()).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = BatchItemStatus.class, names = {"PENDING", "RUNNING"})
    void updateToPendingIsRejectedNamingItemJobAndStates(BatchItemStatus from) {
        if (from == RUNNING) {
            queue.updateItem("j", "a", RUNNING, null, null);
        }

        assertRejected(() -> queue.updateItem("j", "a", PENDING, null, null), IllegalStateException.class,
                "'a'", "'j'", from.name(), "PENDING");
    }

    @ParameterizedTest
    @EnumSource(value = BatchItemStatus.class, names = {"RUNNING", "COMPLETED", "FAILED", "SKIPPED"})
    void runningIsOnlyReachableFromPending(BatchItemStatus from) {
        queue.updateItem("j", "a", from, null, null);

        assertRejected(() -> queue.updateItem("j", "a", RUNNING, null, null), IllegalStateException.class,
                "'a'", "'j'", from.name(), "to RUNNING");
    }

    @ParameterizedTest(name = "{0} -> COMPLETED/FAILED/SKIPPED rejected")
    @EnumSource(value = BatchItemStatus.class, names = {"COMPLETED", "FAILED", "SKIPPED"})
    void finalItemCannotBeFinishedAgain(BatchItemStatus from) {
        queue.updateItem("j", "a", from, from == FAILED ? "x" : null, 8L);

        for (BatchItemStatus to : new BatchItemStatus[] {COMPLETED, FAILED, SKIPPED}) {
            assertRejected(() -> queue.updateItem("j", "a", to, null, 1L), IllegalStateException.class,
                    "'a'", "'j'", from.name(), to.name());
        }
        assertThat(item("j", "a").durationMs()).isEqualTo(8L);
    }

    @ParameterizedTest
    @EnumSource(value = BatchItemStatus.class, names = {"COMPLETED", "FAILED", "SKIPPED"})
    void finalItemCannotBeCancelledThroughUpdate(BatchItemStatus from) {
        queue.updateItem("j", "a", from, null, null);

        assertRejected(() -> queue.updateItem("j", "a", CANCELLED, null, null), IllegalStateException.class,
                "'a'", from.name(), "CANCELLED");
    }

    @Test
    void updateOnCompletedJobIsRejectedNamingJobAndState() {
        enqueue("done", "a", "b");
        queue.markRunning("done");
        queue.updateItem("done", "a", COMPLETED, null, 1L);
        queue.markCompleted("done");

        assertRejected(() -> queue.updateItem("done", "b", RUNNING, null, null), IllegalStateException.class,
                "'done'", "COMPLETED", "'b'");
    }

    @Test
    void updateOnJobCompletedWithErrorsIsRejected() {
        enqueue("done", "a", "b");
        queue.markRunning("done");
        queue.updateItem("done", "a", FAILED, "x", 1L);
        queue.markCompleted("done");

        assertRejected(() -> queue.updateItem("done", "b", COMPLETED, null, 5L), IllegalStateException.class,
                "'done'", "COMPLETED_WITH_ERRORS");
    }

    @Test
    void updateOfFinishedItemOnCancelledJobIsRejected() {
        queue.updateItem("j", "a", COMPLETED, null, 1L);
        queue.cancelJob("j");

        assertRejected(() -> queue.updateItem("j", "a", FAILED, "late", 1L), IllegalStateException.class,
                "'j'", "CANCELLED");
    }

    @Test
    void nullStatusIsRejected() {
        assertRejected(() -> queue.updateItem("j", "a", null, null, null), NullPointerException.class);
    }

    @Test
    void negativeDurationIsRejected() {
        assertRejected(() -> queue.updateItem("j", "a", COMPLETED, null, -1L), IllegalArgumentException.class,
                "-1");
        assertThat(queue.etaSampleCount("llava:13b", "tag", SizeBucket.SMALL)).isZero();
    }

    @Test
    void unknownJobIsRejectedNamingTheId() {
        assertRejected(() -> queue.updateItem("no-such-job", "a", COMPLETED, null, 1L),
                NoSuchElementException.class, "no-such-job");
    }

    @Test
    void unknownItemIsRejectedNamingTheId() {
        assertRejected(() -> queue.updateItem("j", "no-such-item", COMPLETED, null, 1L),
                NoSuchElementException.class, "no-such-item");
    }

    @Test
    void unknownItemOfAFinishedJobIsStillNoSuchElement() {
        queue.cancelJob("j");

        assertRejected(() -> queue.updateItem("j", "zz", null, null, -5L), NoSuchElementException.class, "zz");
    }

    @Test
    void updatingCancelledItemIsNoOp() {
        queue.cancelItem("j", "a");

        assertNoOp(() -> queue.updateItem("j", "a", COMPLETED, null, 500L));
        assertThat(itemStatus("j", "a")).isEqualTo(CANCELLED);
        assertThat(queue.etaSampleCount("llava:13b", "tag", SizeBucket.SMALL)).isZero();
    }

    @Test
    void updatingCancelledItemWithOutputIsNoOp() {
        queue.cancelItem("j", "a");

        assertNoOp(() -> queue.updateItem("j", "a", COMPLETED, null, 5L, "late output"));
        assertThat(item("j", "a").output()).isNull();
    }

    @ParameterizedTest
    @EnumSource(BatchItemStatus.class)
    void updatingCancelledItemToAnyStatusIsNoOp(BatchItemStatus to) {
        queue.updateItem("j", "a", RUNNING, null, null);
        queue.cancelItem("j", "a");

        assertNoOp(() -> queue.updateItem("j", "a", to, "late", 9L));
    }

    @Test
    void updatingCancelledItemWithNullStatusIsNoOp() {
        queue.cancelItem("j", "a");

        assertNoOp(() -> queue.updateItem("j", "a", null, null, null));
    }

    @Test
    void updatingCancelledItemWithNegativeDurationIsNoOp() {
        queue.cancelItem("j", "a");

        assertNoOp(() -> queue.updateItem("j", "a", COMPLETED, null, -100L));
    }

    @Test
    void updatingCancelledItemOfCancelledJobIsNoOp() {
        queue.updateItem("j", "a", RUNNING, null, null);
        queue.cancelJob("j");

        assertNoOp(() -> queue.updateItem("j", "a", COMPLETED, null, 10L));
        assertNoOp(() -> queue.updateItem("j", "b", FAILED, "late", 10L));
    }

    @Test
    void updatingCancelledItemOfCompletedJobIsNoOp() {
        queue.cancelItem("j", "a");
        queue.updateItem("j", "b", COMPLETED, null, 1L);
        queue.updateItem("j", "c", COMPLETED, null, 1L);
        queue.markCompleted("j");

        assertNoOp(() -> queue.updateItem("j", "a", COMPLETED, null, 10L));
        assertNoOp(() -> queue.updateItem("j", "a", null, null, -1L));
        assertThat(status("j")).isEqualTo(BatchJobStatus.COMPLETED);
    }

    @Test
    void tryUpdateItemTellsWhetherTheUpdateTookEffect() {
        queue.cancelItem("j", "b");

        assertThat(queue.executor().tryUpdateItem("j", "a", COMPLETED, null, 5L, "out")).isTrue();
        assertThat(queue.executor().tryUpdateItem("j", "b", COMPLETED, null, 5L, "out")).isFalse();
        assertThat(item("j", "a").output()).isEqualTo("out");
        assertThat(itemStatus("j", "b")).isEqualTo(CANCELLED);
    }
}

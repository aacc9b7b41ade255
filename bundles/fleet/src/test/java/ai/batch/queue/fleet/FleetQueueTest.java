package ai.batch.queue.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/** The contract's methods and errors, on the fleet's queue, driven by hand (no node runs work). */
class FleetQueueTest {

    private final StoreFixture fleet = new StoreFixture();
    private final FleetQueue queue = new FleetQueue(fleet.db, "here");

    private static BatchJob<String> job(String model, String... ids) {
        return BatchJob.of(model, "tag", OverwritePolicy.OVERWRITE,
                java.util.Arrays.stream(ids).map(id -> BatchItem.of(id, "photo " + id, SizeBucket.MEDIUM)).toList());
    }

    @Test
    void aJobDrivenByHandGoesThroughTheContractsStatesAndSummary() throws Exception {
        String id = queue.enqueue(job("llava", "a", "b", "c"));
        assertThat(queue.queuedCount()).isEqualTo(1);
        assertThat(queue.nextQueued()).map(BatchJob::id).contains(id);

        queue.markRunning(id);
        queue.updateItem(id, "a", BatchItemStatus.RUNNING, null, null);
        queue.updateItem(id, "a", BatchItemStatus.COMPLETED, null, 100L, "cat, sofa");
        queue.updateItem(id, "b", BatchItemStatus.FAILED, "unreadable", 50L);
        queue.cancelItem(id, "c");
        queue.updateItem(id, "c", BatchItemStatus.COMPLETED, null, 1L); // cancellation wins: ignored

        BatchJob<?> done = queue.getJob(id).orElseThrow();
        assertThat(done.status()).as("the last open item's cancel ends the job").isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(done.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.COMPLETED,
                BatchItemStatus.FAILED, BatchItemStatus.CANCELLED);
        assertThat(done.items().get(0).output()).isEqualTo("cat, sofa");
        BatchCompletionSummary summary = BatchCompletionSummary.of(done);
        assertThat(summary.succeeded()).isEqualTo(1);
        assertThat(summary.skipped()).isEqualTo(1);
        assertThat(summary.avgDurationMs()).isEqualTo(75);
        assertThat(queue.etaSampleCount("llava", "tag", SizeBucket.MEDIUM)).isEqualTo(1);
        assertThat(queue.estimateRemainingMs(id)).hasValue(0);

        queue.retryFailed(id);
        BatchJob<?> again = queue.getJob(id).orElseThrow();
        assertThat(again.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(again.completedAt()).isNull();
        assertThat(again.items().get(1).status()).isEqualTo(BatchItemStatus.PENDING);
        assertThat(again.items().get(1).error()).isNull();
        assertThat(queue.estimateRemainingMs(id)).as("one pending item of 100 ms learned").hasValue(100);
        assertThat(fleet.outbox("ai_batch/job_queued")).extracting(e -> e.get("cause")).containsExactly("enqueued", "retried");
    }

    @Test
    void everyErrorNamesItsCulpritAndChangesNothing() throws Exception {
        String id = queue.enqueue(job("llava", "a"));
        int eventsBefore = fleet.outbox(null).size();

        assertThatThrownBy(() -> queue.markRunning("nope")).isInstanceOf(NoSuchElementException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> queue.updateItem(id, "zz", BatchItemStatus.RUNNING, null, null))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("zz");
        assertThatThrownBy(() -> queue.updateItem(id, "a", BatchItemStatus.PENDING, null, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PENDING");
        assertThatThrownBy(() -> queue.updateItem(id, "a", BatchItemStatus.COMPLETED, null, -1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> queue.updateItem(id, "a", null, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> queue.markCompleted(id)).isInstanceOf(IllegalStateException.class).hasMessageContaining("QUEUED");
        assertThatThrownBy(() -> queue.retryFailed(id)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> queue.purge(id)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> queue.enqueue(job(" ", "a"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resource key");
        assertThatThrownBy(() -> queue.setPriority(id, null)).isInstanceOf(NullPointerException.class);

        assertThat(queue.getJob(id).orElseThrow().status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(fleet.outbox(null)).hasSize(eventsBefore);
        queue.markRunning(id);
        assertThatThrownBy(() -> queue.markRunning(id)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(id).hasMessageContaining("RUNNING");
    }

    @Test
    void cancellingARunningJobCancelsItsItemsAndEndsItWithOneCompletedEvent() throws Exception {
        String id = queue.enqueue(job("llava", "a", "b"));
        queue.markRunning(id);
        queue.updateItem(id, "a", BatchItemStatus.RUNNING, null, null);

        queue.cancelJob(id);
        queue.cancelJob(id); // a no-op

        BatchJob<?> cancelled = queue.getJob(id).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(BatchJobStatus.CANCELLED);
        assertThat(cancelled.completedAt()).isNotNull();
        assertThat(cancelled.items()).extracting(BatchItem::status).containsOnly(BatchItemStatus.CANCELLED);
        assertThat(fleet.outbox("ai_batch/job_completed")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("status", "cancelled").containsEntry("skipped", 2));
        assertThat(queue.markCompleted(id).skipped()).isEqualTo(2);
        assertThatThrownBy(() -> queue.cancelItem(id, "zz")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void queuedJobsListInThePlansOrderAndSteeringReordersThem() {
        String a1 = queue.enqueue(job("a", "1"));
        String b1 = queue.enqueue(job("b", "1"));
        String a2 = queue.enqueue(job("a", "2"));
        String c1 = queue.enqueue(job("c", "1"));

        assertThat(ids()).as("grouped by model, groups by their oldest job").containsExactly(a1, a2, b1, c1);

        queue.setPriority(c1, JobPriority.HIGH);
        assertThat(ids()).containsExactly(c1, a1, a2, b1);
        queue.moveToFront(b1);
        assertThat(ids()).containsExactly(b1, c1, a1, a2);
        assertThatThrownBy(() -> queue.moveToFront("nope")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void pauseIsFleetWideAndStopsClaimsAndPurgeRemovesFinishedJobs() throws Exception {
        long epoch = fleet.node("n", Set.of("llava"), "gpu");
        String id = queue.enqueue(job("llava", "a"));
        queue.pause();
        queue.pause();
        assertThat(new FleetQueue(fleet.db, "elsewhere").isPaused()).isTrue();
        assertThat(fleet.claim("n", epoch, "gpu", 4)).isEqualTo(FleetClaims.Lease.IDLE);
        queue.resume();
        assertThat(fleet.outbox(null)).extracting(e -> e.get("topic")).containsSubsequence("ai_batch/paused", "ai_batch/resumed")
                .filteredOn("ai_batch/paused"::equals).hasSize(1);

        FleetClaims.Lease lease = fleet.claim("n", epoch, "gpu", 4);
        fleet.completeAll("n", "gpu", lease);
        assertThat(queue.hasRunningJob()).isFalse();
        assertThat(queue.purgeFinished(Instant.MAX)).isEqualTo(1);
        assertThat(queue.getJob(id)).isEmpty();
        assertThat(queue.listJobs()).isEmpty();
    }

    private List<String> ids() {
        return queue.listJobs().stream().map(BatchJob::id).toList();
    }
}

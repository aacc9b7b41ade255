package ai.batch.queue.impl.core;

import static ai.batch.queue.BatchItemStatus.COMPLETED;
import static ai.batch.queue.BatchItemStatus.FAILED;
import static ai.batch.queue.BatchItemStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.SizeBucket;

/** The read side: snapshots, listJobs, getJob, nextQueued and the counters. */
class QueryTest extends QueueTestSupport {

    @Test
    void emptyQueueHasNothing() {
        assertThat(queue.listJobs()).isEmpty();
        assertThat(queue.nextQueued()).isEmpty();
        assertThat(queue.queuedCount()).isZero();
        assertThat(queue.hasRunningJob()).isFalse();
        assertThat(queue.etaSampleCount("llava:13b", "tag", SizeBucket.SMALL)).isZero();
    }

    @Test
    void getJobOfUnknownIdIsEmpty() {
        enqueue("j", "a");

        assertThat(queue.getJob("other")).isEmpty();
        assertThat(queue.getJob("")).isEmpty();
        assertThat(queue.getJob(null)).isEmpty();
    }

    @Test
    void estimateOfUnknownIdIsEmpty() {
        enqueue("j", "a");

        assertThat(queue.estimateRemainingMs("other")).isEmpty();
        assertThat(queue.estimateRemainingMs(null)).isEmpty();
    }

    @Test
    void getJobReturnsTheCurrentState() {
        enqueue("j", "a", "b");
        queue.markRunning("j");
        queue.updateItem("j", "a", COMPLETED, null, 3L);

        BatchJob<?> job = get("j");

        assertThat(job.id()).isEqualTo("j");
        assertThat(job.status()).isEqualTo(BatchJobStatus.RUNNING);
        assertThat(job.items()).extracting(BatchItem::id).containsExactly("a", "b");
        assertThat(job.items().get(0).status()).isEqualTo(COMPLETED);
    }

    @Test
    void listJobsIsUnmodifiable() {
        enqueue("j", "a");
        List<BatchJob<?>> jobs = queue.listJobs();

        assertThatThrownBy(() -> jobs.add(jobs.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> jobs.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> jobs.get(0).items().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void getJobSnapshotNeverChangesAfterwards() {
        enqueue("j", "a", "b");
        BatchJob<?> queued = get("j");
        BatchJob<?> queuedCopy = copy(queued);

        queue.markRunning("j");
        BatchJob<?> running = get("j");
        BatchJob<?> runningCopy = copy(running);
        queue.updateItem("j", "a", RUNNING, null, null);
        queue.updateItem("j", "a", FAILED, "x", 5L);
        queue.updateItem("j", "b", COMPLETED, null, 5L, "out");
        queue.markCompleted("j");
        queue.retryFailed("j");
        queue.cancelJob("j");

        assertThat(queued).isEqualTo(queuedCopy);
        assertThat(queued.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(running).isEqualTo(runningCopy);
        assertThat(running.items()).extracting(BatchItem::status).containsOnly(BatchItemStatus.PENDING);
    }

    @Test
    void listJobsSnapshotNeverChangesAfterwards() {
        enqueue("j1", "a");
        queue.enqueue(job("moondream", "tag", "a").withId("j2"));
        List<BatchJob<?>> listed = queue.listJobs();
        List<BatchJob<?>> copies = new ArrayList<>();
        listed.forEach(job -> copies.add(copy(job)));

        enqueue("j3", "a");
        queue.markRunning("j2");
        queue.updateItem("j2", "a", COMPLETED, null, 1L);
        queue.markCompleted("j2");
        queue.cancelJob("j1");

        assertThat(listed).hasSize(2).isEqualTo(copies);
        assertThat(listed).extracting(BatchJob::status).containsOnly(BatchJobStatus.QUEUED);
        assertThat(listed).extracting(BatchJob::reordered).containsOnly(false);
    }

    @Test
    void nextQueuedSnapshotIsNotClaimedAndNeverChanges() {
        enqueue("j1", "a");
        BatchJob<?> next = queue.nextQueued().orElseThrow();
        BatchJob<?> copy = copy(next);

        assertThat(queue.nextQueued()).contains(next);
        assertThat(status("j1")).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(queue.queuedCount()).isEqualTo(1);

        queue.markRunning("j1");
        assertThat(next).isEqualTo(copy);
        assertThat(queue.nextQueued()).isEmpty();
    }

    @Test
    void listJobsKeepsEnqueueOrderForJobsOfOneModel() {
        enqueue("c", "a");
        enqueue("a", "a");
        enqueue("b", "a");

        assertThat(queue.listJobs()).extracting(BatchJob::id).containsExactly("c", "a", "b");
    }

    @Test
    void listJobsShowsEveryJobWhateverItsState() {
        enqueue("done", "a");
        enqueue("cancelled", "a");
        enqueue("running", "a");
        enqueue("queued", "a");
        runToEnd("done", COMPLETED);
        queue.cancelJob("cancelled");
        queue.markRunning("running");

        assertThat(queue.listJobs()).extracting(BatchJob::id)
                .containsExactly("done", "cancelled", "running", "queued");
        assertThat(queue.listJobs()).extracting(BatchJob::status).containsExactly(BatchJobStatus.COMPLETED,
                BatchJobStatus.CANCELLED, BatchJobStatus.RUNNING, BatchJobStatus.QUEUED);
    }

    @Test
    void countersFollowTheJobs() {
        enqueue("j1", "a");
        enqueue("j2", "a");
        enqueue("j3", "a");
        assertThat(queue.queuedCount()).isEqualTo(3);

        queue.markRunning("j1");
        assertThat(queue.queuedCount()).isEqualTo(2);
        assertThat(queue.hasRunningJob()).isTrue();

        queue.cancelJob("j2");
        assertThat(queue.queuedCount()).isEqualTo(1);

        queue.markCompleted("j1");
        assertThat(queue.hasRunningJob()).isFalse();
        assertThat(queue.queuedCount()).isEqualTo(1);
    }

    @Test
    void hasRunningJobTurnsFalseWhenRunningJobIsCancelled() {
        enqueue("j1", "a");
        queue.markRunning("j1");

        queue.cancelJob("j1");

        assertThat(queue.hasRunningJob()).isFalse();
    }

    @Test
    void hasRunningJobStaysTrueWhileAnyJobRuns() {
        enqueue("j1", "a");
        enqueue("j2", "a");
        queue.markRunning("j1");
        queue.markRunning("j2");

        queue.markCompleted("j1");

        assertThat(queue.hasRunningJob()).isTrue();
    }

    @Test
    void startNextStartsTheFirstPlannedJobTheTestAccepts() {
        queue.enqueue(job("llava:13b", "tag", "a").withId("j1"));
        queue.enqueue(job("moondream", "tag", "a").withId("j2"));

        assertThat(queue.executor().startNext(model -> model.equals("moondream"))).map(BatchJob::id).contains("j2");
        assertThat(status("j2")).isEqualTo(BatchJobStatus.RUNNING);
        assertThat(queue.executor().startNext(model -> false)).isEmpty();
        assertThat(status("j1")).isEqualTo(BatchJobStatus.QUEUED);
    }

    @Test
    void queueSnapshotsSerializeWithAPlainObjectMapper() throws Exception {
        enqueue("j", "a", "b");
        clock.advanceSeconds(2);
        queue.markRunning("j");
        queue.updateItem("j", "a", COMPLETED, null, 12L, "tags: cat");
        ObjectMapper mapper = new ObjectMapper();

        JsonNode node = mapper.readTree(mapper.writeValueAsString(get("j")));

        assertThat(node.get("id").asText()).isEqualTo("j");
        assertThat(node.get("status").asText()).isEqualTo("running");
        assertThat(node.get("createdAt").asText()).isEqualTo("2026-05-04T12:00:00Z");
        assertThat(node.get("startedAt").asText()).isEqualTo("2026-05-04T12:00:02Z");
        assertThat(node.get("completedAt").isNull()).isTrue();
        assertThat(node.get("items").get(0).get("status").asText()).isEqualTo("completed");
        assertThat(node.get("items").get(0).get("output").asText()).isEqualTo("tags: cat");
        assertThat(node.get("items").get(1).get("durationMs").isNull()).isTrue();
        BatchJob<String> back = mapper.readValue(mapper.writeValueAsString(get("j")),
                new TypeReference<BatchJob<String>>() { });
        assertThat(back).isEqualTo(get("j"));
        assertThat(mapper.readTree(mapper.writeValueAsString(queue.markCompleted("j"))).get("succeeded").asInt())
                .isEqualTo(1);
    }

    /** A copy made field by field, so it cannot share mutable state with the original. */
    static BatchJob<?> copy(BatchJob<?> job) {
        List<BatchItem<Object>> items = new ArrayList<>();
        for (BatchItem<?> item : job.items()) {
            items.add(BatchItem.of(item.id(), (Object) item.data(), item.sizeBucket())
                    .withState(item.status(), item.error(), item.durationMs(), item.output())
                    .withAttempts(item.attempts()));
        }
        return BatchJob.restore(job.id(), job.resourceKey(), job.operation(), job.overwritePolicy(), items,
                job.status(), job.createdAt(), job.startedAt(), job.completedAt(), job.reordered(),
                job.reorderNote(), job.priority());
    }
}

package ai.batch.queue.impl.core;

import static ai.batch.queue.BatchItemStatus.COMPLETED;
import static ai.batch.queue.BatchItemStatus.FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;

/** Model-aware planning as seen through the queue: plan order, reorder flags, listJobs and nextQueued. */
class PlanningTest extends QueueTestSupport {

    private String add(String id, String model) {
        return queue.enqueue(job(model, "tag", "a").withId(id));
    }

    private List<String> queuedIds() {
        List<String> ids = new ArrayList<>();
        for (BatchJob<?> job : queue.listJobs()) {
            if (job.status() == BatchJobStatus.QUEUED) {
                ids.add(job.id());
            }
        }
        return ids;
    }

    @Test
    void seedReadmeExampleGroupsByModel() {
        queue.enqueue(job("llava:13b", "tag", "a").withId("llava-tag"));
        queue.enqueue(job("moondream", "tag", "a").withId("moondream-tag"));
        queue.enqueue(job("llava:13b", "caption", "a").withId("llava-caption"));

        assertThat(queuedIds()).containsExactly("llava-tag", "llava-caption", "moondream-tag");
        assertThat(queue.nextQueued()).map(BatchJob::id).contains("llava-tag");
        BatchJob<?> moved = get("llava-caption");
        assertThat(moved.reordered()).isTrue();
        assertThat(moved.reorderNote()).isNotBlank();
        assertThat(get("llava-tag").reordered()).isFalse();
        assertThat(get("moondream-tag").reordered()).isFalse();
    }

    @Test
    void plannedOrderIsNeverAlphabetical() {
        add("zeta-job", "zeta");
        add("alpha-job", "alpha");

        assertThat(queuedIds()).containsExactly("zeta-job", "alpha-job");
        assertThat(queue.nextQueued()).map(BatchJob::id).contains("zeta-job");
        assertThat(get("zeta-job").reordered()).isFalse();
        assertThat(get("alpha-job").reordered()).isFalse();
    }

    @Test
    void jobIdsDoNotAffectOrder() {
        add("zz", "m1");
        add("aa", "m2");
        add("mm", "m3");

        assertThat(queuedIds()).containsExactly("zz", "aa", "mm");
    }

    @Test
    void jobsOfOneModelKeepEnqueueOrder() {
        add("third", "llava");
        add("first", "llava");
        add("second", "llava");

        assertThat(queuedIds()).containsExactly("third", "first", "second");
        assertThat(queue.listJobs()).extracting(BatchJob::reordered).containsOnly(false);
    }

    @Test
    void otherGroupsRunInOrderOfTheirOldestJob() {
        add("m1", "moondream");
        add("q1", "qwen");
        add("l1", "llava");
        add("q2", "qwen");
        add("m2", "moondream");

        assertThat(queuedIds()).containsExactly("m1", "m2", "q1", "q2", "l1");
        assertThat(get("m2").reordered()).isTrue();
        assertThat(get("q2").reordered()).isTrue();
        assertThat(get("m1").reordered()).isFalse();
        assertThat(get("q1").reordered()).as("pushed back only").isFalse();
    }

    @Test
    void runningModelGroupGoesFirst() {
        add("run", "llava");
        add("m1", "moondream");
        queue.markRunning("run");

        add("l2", "llava");

        assertThat(queue.nextQueued()).map(BatchJob::id).contains("l2");
        assertThat(queuedIds()).containsExactly("l2", "m1");
        assertThat(get("l2").reordered()).isTrue();
        assertThat(get("l2").reorderNote()).isNotBlank().contains("llava");
        assertThat(get("m1").reordered()).isFalse();
    }

    @Test
    void modelThatRanLastStaysFirstAfterItsJobEnds() {
        add("run", "llava");
        add("m1", "moondream");
        queue.markRunning("run");
        queue.updateItem("run", "a", COMPLETED, null, 1L);
        queue.markCompleted("run");

        add("l2", "llava");

        assertThat(queuedIds()).containsExactly("l2", "m1");
    }

    @Test
    void modelThatRanLastStaysFirstAfterItsJobIsCancelled() {
        add("run", "llava");
        add("m1", "moondream");
        queue.markRunning("run");
        queue.cancelJob("run");

        add("l2", "llava");

        assertThat(queuedIds()).containsExactly("l2", "m1");
    }

    @Test
    void startingAnotherModelReordersQueuedJobsAroundIt() {
        add("l1", "llava");
        add("m1", "moondream");
        add("l2", "llava");
        add("m2", "moondream");
        add("m3", "moondream");
        assertThat(queuedIds()).containsExactly("l1", "l2", "m1", "m2", "m3");

        queue.markRunning("m1");

        assertThat(queuedIds()).containsExactly("m2", "m3", "l1", "l2");
        assertThat(queue.nextQueued()).map(BatchJob::id).contains("m2");
        assertThat(get("l1").reordered()).isFalse();
    }

    @Test
    void reorderFlagIsClearedWhenNothingIsPassedAnyMore() {
        add("l1", "llava");
        add("m1", "moondream");
        add("l2", "llava");
        assertThat(get("l2").reordered()).isTrue();

        queue.cancelJob("m1");

        assertThat(get("l2").reordered()).isFalse();
        assertThat(get("l2").reorderNote()).isNull();
    }

    @Test
    void reorderFlagIsKeptOnceTheJobStarts() {
        add("l1", "llava");
        add("m1", "moondream");
        add("l2", "llava");
        queue.markRunning("l1");
        queue.markCompleted("l1");

        queue.markRunning("l2");

        assertThat(get("l2").reordered()).isTrue();
        assertThat(get("l2").reorderNote()).isNotBlank();
    }

    @Test
    void retryCountsAsEnqueuedAtRetryTime() {
        add("x", "a-model");
        add("y", "b-model");
        add("z", "c-model");
        queue.markRunning("x");
        queue.updateItem("x", "a", FAILED, "boom", 1L);
        queue.markCompleted("x");
        queue.markRunning("y");
        queue.updateItem("y", "a", COMPLETED, null, 1L);
        queue.markCompleted("y");
        add("w", "d-model");

        queue.retryFailed("x");

        assertThat(queuedIds()).containsExactly("z", "w", "x");
        assertThat(get("x").reordered()).isFalse();
    }

    @Test
    void retriedJobRunsAfterJobsOfItsModelQueuedBeforeTheRetry() {
        add("x", "llava");
        queue.markRunning("x");
        queue.updateItem("x", "a", FAILED, "boom", 1L);
        queue.markCompleted("x");
        add("later", "llava");

        queue.retryFailed("x");

        assertThat(queuedIds()).containsExactly("later", "x");
        assertThat(queue.nextQueued()).map(BatchJob::id).contains("later");
    }

    @Test
    void listJobsShowsQueuedJobsInPlannedOrderInTheirSlots() {
        add("l1", "llava");
        add("m1", "moondream");
        add("l2", "llava");
        add("q1", "qwen");
        add("l3", "llava");

        assertThat(queue.listJobs()).extracting(BatchJob::id).containsExactly("l1", "l2", "l3", "m1", "q1");
    }

    @Test
    void runningAndFinishedJobsNeverMove() {
        add("m0", "moondream");
        add("l1", "llava");
        add("m1", "moondream");
        add("done", "qwen");
        add("l2", "llava");
        queue.markRunning("done");
        queue.updateItem("done", "a", COMPLETED, null, 1L);
        queue.markCompleted("done");
        queue.markRunning("l1");

        add("m2", "moondream");
        add("l3", "llava");

        List<BatchJob<?>> jobs = queue.listJobs();
        assertThat(jobs).extracting(BatchJob::id).containsExactly("l2", "l1", "l3", "done", "m0", "m1", "m2");
        assertThat(jobs.get(1).status()).isEqualTo(BatchJobStatus.RUNNING);
        assertThat(jobs.get(3).status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(queuedIds()).containsExactly("l2", "l3", "m0", "m1", "m2");
    }

    @Test
    void nextQueuedIsThePlanHead() {
        add("m1", "moondream");
        add("l1", "llava");
        add("run", "llava");
        queue.markRunning("run");

        assertThat(queue.nextQueued()).map(BatchJob::id).contains("l1");
        assertThat(queue.nextQueued().orElseThrow()).isEqualTo(queue.listJobs().stream()
                .filter(job -> job.status() == BatchJobStatus.QUEUED).findFirst().orElseThrow());
    }

    @Test
    void plannerOnlyConsidersQueuedJobs() {
        add("l1", "llava");
        add("m1", "moondream");
        queue.cancelJob("l1");

        add("l2", "llava");

        assertThat(queuedIds()).containsExactly("m1", "l2");
        assertThat(get("l2").reordered()).isFalse();
    }

    @Test
    void jobEnqueuedLaterForTheLoadedModelIsNotedAsMovedAhead() {
        add("run", "llava");
        queue.markRunning("run");
        add("m1", "moondream");
        add("q1", "qwen");
        add("l2", "llava");

        BatchJob<?> moved = get("l2");
        assertThat(moved.reordered()).isTrue();
        assertThat(moved.reorderNote()).contains("m1");
        assertThat(queuedIds()).containsExactly("l2", "m1", "q1");
        assertThat(get("m1").reordered()).isFalse();
        assertThat(get("q1").reordered()).isFalse();
    }
}

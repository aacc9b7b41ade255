package ai.batch.queue.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;

/** The REST surface on the real queue (driven by hand, no executor). */
class QueueApiTest {

    private final CoreBatchQueue queue = new CoreBatchQueue();
    private final QueueActivity activity = new QueueActivity(10, jobId -> null);
    private final QueueApi api = new QueueApi(queue, new JobViews(queue, activity));

    private String enqueue(String model, String... items) {
        return queue.enqueue(BatchJob.of(model, "tag", OverwritePolicy.OVERWRITE,
                Arrays.stream(items).map(id -> BatchItem.of(id, "/photos/" + id, SizeBucket.SMALL)).toList()));
    }

    private String finishedWithOneFailure() {
        String id = enqueue("llava", "a", "b", "c");
        queue.markRunning(id);
        queue.updateItem(id, "a", BatchItemStatus.COMPLETED, null, 120L, "tags: cat");
        queue.updateItem(id, "b", BatchItemStatus.FAILED, "out of memory", 80L);
        queue.updateItem(id, "c", BatchItemStatus.SKIPPED, null, null);
        queue.markCompleted(id);
        return id;
    }

    private ApiResponse get(String path) {
        return api.handle("GET", List.of(path.split("/")), Map.of());
    }

    private ApiResponse post(String path, Map<String, String> parameters) {
        return api.handle("POST", List.of(path.split("/")), parameters);
    }

    private ApiResponse post(String path) {
        return post(path, Map.of());
    }

    @Test
    void jobsListCountsDoneFailedSkippedPerJob() {
        String id = finishedWithOneFailure();
        ApiResponse answer = get("jobs");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode job = answer.body().get("jobs").get(0);
        assertThat(job.get("id").asText()).isEqualTo(id);
        assertThat(job.get("status").asText()).isEqualTo("completedWithErrors");
        assertThat(job.get("done").asInt()).isEqualTo(1);
        assertThat(job.get("failed").asInt()).isEqualTo(1);
        assertThat(job.get("skipped").asInt()).isEqualTo(1);
        assertThat(job.get("total").asInt()).isEqualTo(3);
    }

    @Test
    void jobDetailShowsEveryItemWithOutputErrorAndDuration() {
        String id = finishedWithOneFailure();
        activity.accept("ai_batch/item_progress", Map.<String, Object>of("jobId", id, "itemId", "a", "status",
                "completed", "durationMs", 120L)::get, 1_120);
        JsonNode items = get("jobs/" + id).body().get("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("output").asText()).isEqualTo("tags: cat");
        assertThat(items.get(0).get("durationMs").asLong()).isEqualTo(120);
        assertThat(items.get(0).get("startedAt").asText()).isEqualTo("1970-01-01T00:00:01Z");
        assertThat(items.get(0).get("finishedAt").asText()).isEqualTo("1970-01-01T00:00:01.120Z");
        assertThat(items.get(1).get("error").asText()).isEqualTo("out of memory");
        assertThat(items.get(2).get("startedAt").isNull()).isTrue();
    }

    @Test
    void unknownJobIs404WithTheQueuesMessage() {
        ApiResponse answer = get("jobs/nope");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().get("error").asText()).contains("nope");
        assertThat(post("jobs/nope/cancel").status()).isEqualTo(404);
        assertThat(post("jobs/nope/front").status()).isEqualTo(404);
    }

    @Test
    void cancellingQueuedJobSucceedsAndCancellingFinishedOneIs409() {
        String queued = enqueue("llava", "a");
        ApiResponse cancelled = post("jobs/" + queued + "/cancel");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asText()).isEqualTo("cancelled");

        String finished = finishedWithOneFailure();
        ApiResponse refused = post("jobs/" + finished + "/cancel");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("error").asText()).contains(finished);
    }

    @Test
    void retryRequeuesOnlyAFinishedJobWithFailures() {
        String finished = finishedWithOneFailure();
        ApiResponse retried = post("jobs/" + finished + "/retry");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().get("status").asText()).isEqualTo("queued");
        assertThat(post("jobs/" + enqueue("llava", "x") + "/retry").status()).isEqualTo(409);
    }

    @Test
    void retryFailedRetriesEveryFinishedJobWithFailures() {
        String first = finishedWithOneFailure();
        String second = finishedWithOneFailure();
        enqueue("llava", "queued");
        ApiResponse answer = post("retry-failed");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("retried")).extracting(JsonNode::asText).containsExactly(first, second);
    }

    @Test
    void priorityNeedsAKnownValueOnAQueuedJob() {
        String queued = enqueue("llava", "a");
        assertThat(post("jobs/" + queued + "/priority", Map.of("priority", "high")).body().get("priority").asText())
                .isEqualTo("high");
        assertThat(post("jobs/" + queued + "/priority").status()).isEqualTo(400);
        assertThat(post("jobs/" + queued + "/priority", Map.of("priority", "urgent")).status()).isEqualTo(400);
        assertThat(post("jobs/" + finishedWithOneFailure() + "/priority", Map.of("priority", "low")).status())
                .isEqualTo(409);
    }

    @Test
    void moveToFrontPutsTheJobFirstInThePlan() {
        enqueue("llava", "a");
        enqueue("moondream", "b");
        String last = enqueue("bakllava", "c");
        assertThat(post("jobs/" + last + "/front").status()).isEqualTo(200);
        JsonNode plan = get("plan").body().get("plan");
        assertThat(plan.get(0).get("id").asText()).isEqualTo(last);
        assertThat(plan.get(0).get("position").asInt()).isEqualTo(1);
        assertThat(plan.get(0).get("reordered").asBoolean()).isTrue();
        assertThat(plan.get(0).get("reorderNote").asText()).isNotBlank();
    }

    @Test
    void cancellingItemsChecksIdsAndStates() {
        String id = enqueue("llava", "a", "b");
        ApiResponse answer = post("jobs/" + id + "/items/a/cancel");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("items").get(0).get("status").asText()).isEqualTo("cancelled");
        assertThat(post("jobs/" + id + "/items/zz/cancel").status()).isEqualTo(404);
        String finished = finishedWithOneFailure();
        assertThat(post("jobs/" + finished + "/items/a/cancel").status()).isEqualTo(409);
    }

    @Test
    void pauseResumeAndPurgeFinished() {
        assertThat(post("pause").body().get("paused").asBoolean()).isTrue();
        assertThat(queue.isPaused()).isTrue();
        assertThat(get("stats").body().get("paused").asBoolean()).isTrue();
        assertThat(post("resume").body().get("paused").asBoolean()).isFalse();
        finishedWithOneFailure();
        enqueue("llava", "a");
        assertThat(post("purge-finished").body().get("purged").asInt()).isEqualTo(1);
        assertThat(queue.listJobs()).hasSize(1);
    }

    @Test
    void statsCountJobsAndItemsByStatus() {
        finishedWithOneFailure();
        enqueue("llava", "a", "b");
        JsonNode stats = get("stats").body();
        assertThat(stats.get("queuedCount").asInt()).isEqualTo(1);
        assertThat(stats.get("jobs").get("completedWithErrors").asInt()).isEqualTo(1);
        assertThat(stats.get("items").get("pending").asInt()).isEqualTo(2);
        assertThat(stats.get("items").get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void queuedJobsCarryTheirEstimate() {
        finishedWithOneFailure(); // teaches llava/tag/SMALL 120 ms
        String queued = enqueue("llava", "a", "b");
        JsonNode job = get("jobs/" + queued).body();
        assertThat(job.get("remainingMs").asLong()).isGreaterThanOrEqualTo(240);
        assertThat(job.has("expectedStart")).isTrue();
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405() {
        assertThat(get("nothing").status()).isEqualTo(404);
        assertThat(post("nothing").status()).isEqualTo(404);
        assertThat(get("pause").status()).isEqualTo(405);
        assertThat(post("jobs").status()).isEqualTo(405);
        assertThat(api.handle("DELETE", List.of("jobs"), Map.of()).status()).isEqualTo(405);
    }

    @Test
    void aRetriedItemShowsItsEarlierErrorAndTheModelThatRanIt() {
        String id = finishedWithOneFailure();
        activity.accept("ai_batch/item_progress", Map.<String, Object>of("jobId", id, "itemId", "b", "status",
                "failed", "error", "out of memory", "durationMs", 80L)::get, 2_000);
        JsonNode failed = get("jobs/" + id).body().get("items").get(1);
        assertThat(failed.get("earlierErrors")).isEmpty(); // the item's own error is shown already
        assertThat(failed.get("model").asText()).isEqualTo("llava");

        queue.retryFailed(id);
        JsonNode retried = get("jobs/" + id).body().get("items").get(1);
        assertThat(retried.get("status").asText()).isEqualTo("pending");
        assertThat(retried.get("error").isNull()).isTrue();
        assertThat(retried.get("earlierErrors").get(0).get("error").asText()).isEqualTo("out of memory");
    }

    @Test
    void bulkActsOnEachJobAndReportsThoseThatMovedOn() {
        String a = enqueue("llava", "x");
        String b = enqueue("moondream", "y");
        String done = finishedWithOneFailure();
        ApiResponse answer = post("bulk", Map.of("action", "cancel", "ids", a + "\n" + b + "\n" + done + "\n"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("done")).extracting(JsonNode::asText).containsExactly(a, b);
        assertThat(answer.body().get("failed").get(0).get("id").asText()).isEqualTo(done);
        assertThat(queue.getJob(a).orElseThrow().status().wireName()).isEqualTo("cancelled");

        String c = enqueue("llava", "z");
        assertThat(post("bulk", Map.of("action", "priority", "priority", "high", "ids", c)).status()).isEqualTo(200);
        assertThat(queue.getJob(c).orElseThrow().priority().wireName()).isEqualTo("high");

        assertThat(post("bulk", Map.of("action", "retry", "ids", done)).body().get("done")).hasSize(1);
        queue.markRunning(done);
        queue.updateItem(done, "b", BatchItemStatus.COMPLETED, null, 10L);
        queue.markCompleted(done);
        assertThat(post("bulk", Map.of("action", "purge", "ids", a + "\n" + done)).body().get("done")).hasSize(2);
        assertThat(queue.getJob(done)).isEmpty();
    }

    @Test
    void bulkRefusesAnUnknownActionOrNoIds() {
        assertThat(post("bulk", Map.of("action", "explode", "ids", "x")).status()).isEqualTo(400);
        assertThat(post("bulk", Map.of("action", "cancel")).status()).isEqualTo(400);
        assertThat(get("bulk").status()).isEqualTo(405);
    }

    @Test
    void thePlanSaysWhenAllPlannedWorkIsDoneOnlyOnceEveryJobHasAnEstimate() {
        enqueue("llava", "x");
        JsonNode plan = get("plan").body();
        assertThat(plan.get("plan")).hasSize(1);
        assertThat(plan.has("expectedFinish")).isTrue();
        assertThat(plan.get("expectedFinish").isNull()).isTrue(); // no timed item of llava/tag yet
        assertThat(plan.get("models").has("residency")).isTrue();
    }
}

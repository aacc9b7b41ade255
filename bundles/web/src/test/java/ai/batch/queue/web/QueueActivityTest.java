package ai.batch.queue.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The model timeline and per-model charts the dashboard builds from events. */
class QueueActivityTest {

    private final QueueActivity activity = new QueueActivity(3, jobId -> jobId.equals("j1") ? 1_000L : null);

    private void event(String topic, long time, Object... keyValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        activity.accept(topic, properties::get, time);
    }

    @Test
    void switchesLoadsAndUnloadsMakeABoundedTimeline() {
        event("ai_batch/resource_switched", 1, "jobId", "j1", "resourceKey", "llava", "reason", "first model");
        event("ai_batch/model_loading", 2, "resourceKey", "moondream", "reason", "preload");
        event("ai_batch/model_loaded", 3, "resourceKey", "moondream", "reason", "preload", "durationMs", 250L);
        assertThat(activity.currentModel()).isEqualTo("llava");
        JsonNode models = activity.models();
        assertThat(models.get("residentModels")).extracting(JsonNode::asText).containsExactly("llava", "moondream");
        assertThat(models.get("history").get(2).get("durationMs").asLong()).isEqualTo(250);

        event("ai_batch/model_unloaded", 4, "resourceKey", "llava", "reason", "idle");
        models = activity.models();
        assertThat(activity.currentModel()).isNull();
        assertThat(models.get("history")).hasSize(3);
        assertThat(models.get("history").get(0).get("kind").asText()).isEqualTo("model_loading");
        assertThat(models.get("history").get(2).get("reason").asText()).isEqualTo("idle");
    }

    @Test
    void finishedJobsGiveThroughputAndEtaAccuracyPerModel() {
        event("ai_batch/job_started", 10_000, "jobId", "j1", "resourceKey", "llava");
        event("ai_batch/job_completed", 12_000, "jobId", "j1", "resourceKey", "llava", "status", "completed",
                "succeeded", 3, "failed", 1, "totalDurationMs", 2_000L);
        JsonNode llava = activity.charts().get("llava");
        assertThat(llava.get("throughput").get(0).get("itemsPerSecond").asDouble()).isEqualTo(2.0);
        JsonNode accuracy = llava.get("etaAccuracy").get(0);
        assertThat(accuracy.get("predictedMs").asLong()).isEqualTo(1_000);
        assertThat(accuracy.get("actualMs").asLong()).isEqualTo(2_000);
        assertThat(accuracy.get("ratio").asDouble()).isEqualTo(0.5);
    }

    @Test
    void jobsWithoutAnEstimateGiveNoAccuracyPoint() {
        event("ai_batch/job_started", 0, "jobId", "j2", "resourceKey", "llava");
        event("ai_batch/job_completed", 5, "jobId", "j2", "resourceKey", "llava", "status", "completed",
                "succeeded", 1, "failed", 0, "totalDurationMs", 5L);
        assertThat(activity.charts().get("llava").get("etaAccuracy")).isEmpty();
    }

    @Test
    void chartsKeepOnlyTheNewestPoints() {
        for (int i = 0; i < 5; i++) {
            event("ai_batch/job_completed", i, "jobId", "j" + i, "resourceKey", "m", "succeeded", i + 1,
                    "totalDurationMs", 1_000L);
        }
        JsonNode points = activity.charts().get("m").get("throughput");
        assertThat(points).hasSize(3);
        assertThat(points.get(0).get("items").asInt()).isEqualTo(3);
    }

    @Test
    void itemTimesComeFromProgressEventsAndTheirDurations() {
        event("ai_batch/item_progress", 180, "jobId", "j", "itemId", "a", "status", "completed", "durationMs", 80L);
        event("ai_batch/item_progress", 190, "jobId", "j", "itemId", "f", "status", "failed", "durationMs", 5L);
        event("ai_batch/item_progress", 200, "jobId", "j", "itemId", "s", "status", "skipped", "durationMs", 0L);
        event("ai_batch/item_progress", 210, "jobId", "j", "itemId", "c", "status", "cancelled");
        assertThat(activity.itemTimes("j", "a")).containsExactly(100, 180);
        assertThat(activity.itemTimes("j", "f")).containsExactly(185, 190);
        assertThat(activity.itemTimes("j", "s")).containsExactly(0, 200);
        assertThat(activity.itemTimes("j", "c")).containsExactly(0, 210);
        assertThat(activity.itemTimes("j", "b")).isNull();
    }

    @Test
    void aSwitchWithoutLifecycleEventsReplacesTheModelBefore() {
        event("ai_batch/resource_switched", 1_000, "jobId", "j1", "resourceKey", "llava", "reason", "first model");
        event("ai_batch/resource_switched", 2_000, "jobId", "j2", "resourceKey", "moondream",
                "fromResourceKey", "llava", "reason", "next planned");
        event("ai_batch/resource_switched", 3_000, "jobId", "j3", "resourceKey", "llava",
                "fromResourceKey", "moondream", "reason", "next planned");
        JsonNode models = activity.models();
        assertThat(models.get("residentModels")).extracting(JsonNode::asText).containsExactly("llava");
        assertThat(models.get("loads").get("llava").asInt()).isEqualTo(2);
        assertThat(models.get("loads").get("moondream").asInt()).isEqualTo(1);
        JsonNode stays = models.get("residency");
        assertThat(stays).hasSize(3);
        assertThat(stays.get(0).get("resourceKey").asText()).isEqualTo("llava");
        assertThat(stays.get(0).get("to").asText()).isEqualTo("1970-01-01T00:00:02Z");
        assertThat(stays.get(1).get("resourceKey").asText()).isEqualTo("moondream");
        assertThat(stays.get(2).get("to").isNull()).isTrue();
    }

    @Test
    void withLifecycleEventsOnlyAnUnloadTakesAModelOut() {
        event("ai_batch/model_loaded", 1_000, "resourceKey", "llava", "reason", "preload", "durationMs", 5L);
        event("ai_batch/resource_switched", 1_100, "jobId", "j1", "resourceKey", "llava");
        event("ai_batch/model_loaded", 1_200, "resourceKey", "moondream", "reason", "preload", "durationMs", 5L);
        event("ai_batch/resource_switched", 2_000, "jobId", "j2", "resourceKey", "moondream",
                "fromResourceKey", "llava");
        assertThat(activity.models().get("residentModels")).extracting(JsonNode::asText)
                .containsExactly("llava", "moondream");
        assertThat(activity.models().get("loads").get("llava").asInt()).isEqualTo(1);
        event("ai_batch/model_unloaded", 3_000, "resourceKey", "llava", "reason", "room");
        assertThat(activity.models().get("residentModels")).extracting(JsonNode::asText).containsExactly("moondream");
    }

    @Test
    void anItemKeepsTheErrorsOfItsEarlierAttemptsBounded() {
        event("ai_batch/item_retry", 1_000, "jobId", "j", "itemId", "a", "error", "timeout", "attempts", 1);
        event("ai_batch/item_progress", 2_000, "jobId", "j", "itemId", "a", "status", "failed", "error", "oom",
                "durationMs", 5L);
        JsonNode errors = activity.itemErrors("j", "a");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(errors.get(0).get("error").asText()).isEqualTo("timeout");
        assertThat(errors.get(1).get("error").asText()).isEqualTo("oom");
        for (int i = 0; i < 10; i++) {
            event("ai_batch/item_retry", 3_000 + i, "jobId", "j", "itemId", "a", "error", "e" + i, "attempts", i);
        }
        assertThat(activity.itemErrors("j", "a")).hasSize(ItemErrors.PER_ITEM);
        assertThat(activity.itemErrors("j", "a").get(4).get("error").asText()).isEqualTo("e9");
        assertThat(activity.itemErrors("j", "b")).isEmpty();
    }
}

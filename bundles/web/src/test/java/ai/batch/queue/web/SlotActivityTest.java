package ai.batch.queue.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The slots view the dashboard builds from handler services and events. */
class SlotActivityTest {

    private final SlotActivity slots = new SlotActivity();

    private void event(String topic, long time, Object... keyValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        slots.accept(topic, properties::get, time);
    }

    @Test
    void declaredSlotsWithWhatTheyRanAndHold() {
        slots.handler(1L, "gpu-2", new String[] {"llava:13b", "moondream"});
        slots.handler(2L, "gpu-1", "llava:13b");
        slots.handler(3L, null, "bakllava"); // a plain handler: no slot
        event("ai_batch/job_started", 1_000, "jobId", "j1", "resourceKey", "llava:13b");
        event("ai_batch/item_progress", 2_000, "jobId", "j1", "itemId", "a", "status", "completed", "slot", "gpu-1");
        event("ai_batch/item_progress", 3_000, "jobId", "j1", "itemId", "b", "status", "failed", "slot", "gpu-1");
        event("ai_batch/item_progress", 3_500, "jobId", "j1", "itemId", "c", "status", "cancelled", "slot", "gpu-1");
        event("ai_batch/model_loaded", 3_600, "resourceKey", "moondream", "reason", "preload", "slot", "gpu-2");

        JsonNode view = slots.view(Set.of("j1"), 4_000);
        assertThat(view).extracting(slot -> slot.get("id").asText()).containsExactly("gpu-1", "gpu-2");
        JsonNode gpu1 = view.get(0);
        assertThat(gpu1.get("state").asText()).isEqualTo("busy");
        assertThat(gpu1.get("model").asText()).isEqualTo("llava:13b");
        assertThat(gpu1.get("jobId").asText()).isEqualTo("j1");
        assertThat(gpu1.get("items").asLong()).as("a cancelled item did not run").isEqualTo(2);
        assertThat(gpu1.get("failed").asLong()).isEqualTo(1);
        assertThat(gpu1.get("itemsPerSecond").asDouble()).isEqualTo(0.2);
        JsonNode gpu2 = view.get(1);
        assertThat(gpu2.get("state").asText()).isEqualTo("idle");
        assertThat(gpu2.get("serves")).extracting(JsonNode::asText).containsExactly("llava:13b", "moondream");
        assertThat(gpu2.get("residentModels")).extracting(JsonNode::asText).containsExactly("moondream");

        assertThat(slots.view(List.of(), 60_000).get(0).get("state").asText()).as("its job ended").isEqualTo("idle");
        assertThat(slots.view(List.of(), 60_000).get(0).get("itemsPerSecond").asDouble()).isZero();
        slots.handlerGone(1L);
        JsonNode gone = slots.view(List.of(), 60_000).get(1);
        assertThat(gone.get("id").asText()).as("still named by its events").isEqualTo("gpu-2");
        assertThat(gone.get("declared").asBoolean()).isFalse();
        assertThat(gone.get("serves")).isEmpty();
    }

    @Test
    void slotsNamedOnlyByEventsShowTooAndTheirNumberIsBounded() {
        for (int i = 0; i < SlotActivity.MAX_SLOTS + 10; i++) {
            event("ai_batch/item_progress", i, "jobId", "j", "itemId", "i" + i, "status", "completed", "slot",
                    "slot-" + i);
        }
        JsonNode view = slots.view(List.of(), 100);
        assertThat(view).hasSize(SlotActivity.MAX_SLOTS);
        assertThat(view.get(0).get("declared").asBoolean()).isFalse();
        assertThat(view.get(0).get("model").isNull()).as("its job's start was not seen").isTrue();
    }
}

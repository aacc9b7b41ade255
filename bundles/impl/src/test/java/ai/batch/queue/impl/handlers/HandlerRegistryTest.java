package ai.batch.queue.impl.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemResult;

class HandlerRegistryTest {

    private final HandlerRegistry registry = new HandlerRegistry();

    private static BatchItemHandler<Object> handler() {
        return (data, context) -> ItemResult.success();
    }

    private static HandlerRegistration registration(Object resource, Integer ranking, long serviceId) {
        Map<String, Object> props = new java.util.HashMap<>();
        props.put(BatchItemHandler.RESOURCE, resource);
        if (ranking != null) {
            props.put("service.ranking", ranking);
        }
        props.put("service.id", serviceId);
        return HandlerRegistration.of(handler(), props);
    }

    @Test
    void exactResourceBeatsWildcardWithHigherRanking() {
        registry.put(registration("*", 100, 1));
        registry.put(registration("llava:13b", -1, 2));
        assertThat(registry.select("llava:13b")).get().extracting(HandlerRegistration::serviceId).isEqualTo(2L);
        assertThat(registry.select("moondream")).get().extracting(HandlerRegistration::serviceId).isEqualTo(1L);
    }

    @Test
    void higherRankingThenLowerServiceIdWins() {
        registry.put(registration("m", 0, 5));
        registry.put(registration("m", 0, 3));
        assertThat(registry.select("m").orElseThrow().serviceId()).isEqualTo(3L);
        registry.put(registration("m", 7, 9));
        assertThat(registry.select("m").orElseThrow().serviceId()).isEqualTo(9L);
    }

    @Test
    void stringArrayAndCollectionResourcesServeEachName() {
        registry.put(registration(new String[] {"a", "b"}, null, 1));
        registry.put(registration(java.util.List.of("c"), null, 2));
        assertThat(registry.serves("a")).isTrue();
        assertThat(registry.serves("b")).isTrue();
        assertThat(registry.serves("c")).isTrue();
        assertThat(registry.serves("d")).isFalse();
    }

    @Test
    void handlerWithoutResourcePropertyServesNothing() {
        registry.put(HandlerRegistration.of(handler(), Map.of("service.id", 4L)));
        assertThat(registry.all()).hasSize(1);
        assertThat(registry.serves("anything")).isFalse();
    }

    @Test
    void updatingReplacesAndRemovingForgetsByServiceId() {
        registry.put(registration("m", 0, 1));
        registry.put(registration("n", 0, 1));
        assertThat(registry.serves("m")).isFalse();
        assertThat(registry.serves("n")).isTrue();
        assertThat(registry.contains(1)).isTrue();
        registry.remove(1);
        assertThat(registry.contains(1)).isFalse();
        assertThat(registry.select("n")).isEmpty();
    }

    @Test
    void changeListenersHearEveryChange() {
        AtomicInteger changes = new AtomicInteger();
        registry.addChangeListener(changes::incrementAndGet);
        registry.put(registration("m", 0, 1));
        registry.remove(1);
        assertThat(changes).hasValue(2);
    }

    @Test
    void batchSizeIsReadFromAnIntegerOrAStringAndAnInvalidOneMeansOne() {
        assertThat(withBatchSize(null).batchSize()).isEqualTo(1);
        assertThat(withBatchSize(8).batchSize()).isEqualTo(8);
        assertThat(withBatchSize(" 32 ").batchSize()).isEqualTo(32);
        assertThat(withBatchSize(1024).batchSize()).isEqualTo(HandlerRegistration.MAX_BATCH_SIZE);
        for (Object invalid : new Object[] {0, -4, 1025, "lots", 2.5}) {
            assertThat(withBatchSize(invalid).batchSize()).as("batch size %s", invalid).isEqualTo(1);
            assertThat(HandlerRegistration.hasValidBatchSize(Map.of(BatchItemHandler.BATCH_SIZE, invalid)))
                    .as("batch size %s", invalid).isFalse();
        }
        assertThat(HandlerRegistration.hasValidBatchSize(Map.of())).isTrue();
        assertThat(HandlerRegistration.hasValidBatchSize(Map.of(BatchItemHandler.BATCH_SIZE, "16"))).isTrue();
    }

    private static HandlerRegistration withBatchSize(Object batchSize) {
        Map<String, Object> props = new java.util.HashMap<>(Map.of(BatchItemHandler.RESOURCE, "m", "service.id", 1L));
        if (batchSize != null) {
            props.put(BatchItemHandler.BATCH_SIZE, batchSize);
        }
        return HandlerRegistration.of(handler(), props);
    }

    private static HandlerRegistration slot(Object resource, String slot, Integer ranking, long serviceId) {
        Map<String, Object> props = new java.util.HashMap<>();
        props.put(BatchItemHandler.RESOURCE, resource);
        props.put(BatchItemHandler.SLOT, slot);
        if (ranking != null) {
            props.put("service.ranking", ranking);
        }
        props.put("service.id", serviceId);
        return HandlerRegistration.of(handler(), props);
    }

    @Test
    void theContractsRuleDecidesWhetherSlotsOrAPlainHandlerRunAModel() {
        registry.put(slot("*", "gpu-1", null, 1));
        registry.put(slot("llava:13b", "gpu-2", null, 2));
        registry.put(registration("moondream", null, 3));
        registry.put(registration("llava:13b", 10, 4)); // ranked above the slot that names llava:13b

        assertThat(registry.servesBySlots("qwen")).as("only the wildcard slot serves it").isTrue();
        assertThat(registry.servesPlain("moondream")).as("by name beats the wildcard slot").isTrue();
        assertThat(registry.servesBySlots("moondream")).isFalse();
        assertThat(registry.servesPlain("llava:13b")).as("the plain handler is ranked higher").isTrue();
        assertThat(registry.slotsServing("qwen")).isEqualTo(1);
        assertThat(registry.slotsServing("moondream")).as("a plain handler's model").isEqualTo(1);
    }

    @Test
    void aSlotUsesItsOwnHandlerForAModelByNameBeforeItsWildcard() {
        registry.put(slot("*", "gpu-1", null, 1));
        registry.put(slot("llava:13b", "gpu-1", null, 2));
        registry.put(slot(new String[] {"llava:13b", "moondream"}, "gpu-2", null, 3));

        assertThat(registry.selectOnSlot("gpu-1", "llava:13b").orElseThrow().serviceId()).isEqualTo(2L);
        assertThat(registry.selectOnSlot("gpu-1", "qwen").orElseThrow().serviceId()).isEqualTo(1L);
        assertThat(registry.selectOnSlot("gpu-2", "qwen")).as("gpu-2 cannot run it").isEmpty();
        assertThat(registry.selectOnSlot("gpu-3", "llava:13b")).as("no such slot").isEmpty();
        assertThat(registry.slotsServing("llava:13b")).isEqualTo(2);
        assertThat(registry.slotsServing("qwen")).isEqualTo(1);
    }
}

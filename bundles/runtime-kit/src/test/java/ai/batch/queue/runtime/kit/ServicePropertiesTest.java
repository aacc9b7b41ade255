package ai.batch.queue.runtime.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ai.batch.queue.handler.BatchItemHandler;

class ServicePropertiesTest {

    private static Map<String, Object> configuration(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        map.put("baseUrl", "http://gpu:11434");
        map.put(".apiKey", "sk-private");
        map.put(BatchItemHandler.RESOURCE, new String[] {"llava"});
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void publicPropertiesAndTheSlotAreRegistered() {
        Map<String, Object> properties = ServiceProperties.of(configuration(), Optional.of("ollama@gpu:11434"));

        assertThat(properties).containsEntry("baseUrl", "http://gpu:11434")
                .containsEntry(BatchItemHandler.SLOT, "ollama@gpu:11434")
                .containsKey(BatchItemHandler.RESOURCE)
                .doesNotContainKey(".apiKey");
    }

    @Test
    void theResolvedSlotReplacesTheConfiguredValue() {
        assertThat(ServiceProperties.of(configuration(BatchItemHandler.SLOT, " box "), Optional.of("box")))
                .containsEntry(BatchItemHandler.SLOT, "box");
    }

    @Test
    void noSlotLeavesNoSlotPropertyEvenWhenNoneIsConfigured() {
        assertThat(ServiceProperties.of(configuration(BatchItemHandler.SLOT, "none"), Optional.empty()))
                .doesNotContainKey(BatchItemHandler.SLOT)
                .containsKey(BatchItemHandler.RESOURCE);
    }
}

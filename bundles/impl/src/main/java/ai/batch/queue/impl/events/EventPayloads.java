package ai.batch.queue.impl.events;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchEvents;

/**
 * Turns an ordered payload map into event properties: every non-null value as a property, plus the whole
 * payload, nulls kept, as JSON under {@link BatchEvents#JSON}.
 */
final class EventPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventPayloads() {
    }

    /** Starts a payload; keys keep their insertion order in the JSON. */
    static Map<String, Object> payload() {
        return new LinkedHashMap<>();
    }

    static Dictionary<String, Object> properties(Map<String, Object> payload) {
        return properties(payload, payload);
    }

    /**
     * @param flat the values to expose as properties (nulls left out)
     * @param json the object to serialize into the {@code json} property
     */
    static Dictionary<String, Object> properties(Map<String, Object> flat, Object json) {
        Hashtable<String, Object> properties = new Hashtable<>();
        flat.forEach((key, value) -> {
            if (value != null) {
                properties.put(key, value);
            }
        });
        properties.put(BatchEvents.JSON, toJson(json));
        return properties;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write event payload as JSON", e);
        }
    }
}

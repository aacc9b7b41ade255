package ai.batch.queue.impl.events;

import java.io.IOException;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchEvents;

/**
 * Turns an ordered payload map into event properties: every non-null value as a property, plus the whole
 * payload, nulls kept, as JSON under {@link BatchEvents#JSON}. Payloads of plain values (strings, numbers,
 * booleans, string arrays) are written with Jackson's streaming generator, without the data-binding lookups per
 * value; anything else goes through the object mapper.
 */
final class EventPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventPayloads() {
    }

    /** Starts a payload; keys keep their insertion order in the JSON. */
    static Map<String, Object> payload() {
        return new LinkedHashMap<>();
    }

    static Map<String, Object> properties(Map<String, Object> payload) {
        return properties(payload, payload);
    }

    /**
     * @param flat the values to expose as properties (nulls left out)
     * @param json the object to serialize into the {@code json} property
     */
    static Map<String, Object> properties(Map<String, Object> flat, Object json) {
        Map<String, Object> properties = new HashMap<>(flat.size() * 2);
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
            if (value instanceof Map<?, ?> map && plain(map)) {
                StringWriter out = new StringWriter(128);
                try (JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
                    writePlain(generator, map);
                }
                return out.toString();
            }
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write event payload as JSON", e);
        }
    }

    private static boolean plain(Map<?, ?> map) {
        for (Object value : map.values()) {
            if (!(value == null || value instanceof String || value instanceof Integer || value instanceof Long
                    || value instanceof Boolean || value instanceof String[])) {
                return false;
            }
        }
        return true;
    }

    private static void writePlain(JsonGenerator generator, Map<?, ?> map) throws IOException {
        generator.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            generator.writeFieldName((String) entry.getKey());
            Object value = entry.getValue();
            if (value == null) {
                generator.writeNull();
            } else if (value instanceof String text) {
                generator.writeString(text);
            } else if (value instanceof Integer number) {
                generator.writeNumber(number);
            } else if (value instanceof Long number) {
                generator.writeNumber(number);
            } else if (value instanceof Boolean flag) {
                generator.writeBoolean(flag);
            } else {
                String[] texts = (String[]) value;
                generator.writeArray(texts, 0, texts.length);
            }
        }
        generator.writeEndObject();
    }
}

package ai.batch.queue.impl.events;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import ai.batch.queue.BatchEvents;

/**
 * Builds event properties in one pass: every non-null value as a property, and the whole payload, nulls kept
 * and keys in insertion order, as JSON under {@link BatchEvents#JSON}. The values are plain (strings, numbers,
 * booleans, string arrays, nested payloads); strings are escaped with Jackson's {@link JsonStringEncoder}. An
 * event is built for every item twice, so this avoids a map per payload and a generator per event.
 */
final class EventPayloads {

    /** One event's payload under construction. */
    static final class Payload {
        private final Map<String, Object> properties = new HashMap<>(16);
        private final StringBuilder json = new StringBuilder(192).append('{');

        /** Adds a value: a String, Integer, Long, Boolean, String[] or {@code null}. */
        Payload put(String key, Object value) {
            if (value != null) {
                properties.put(key, value);
            }
            return putJson(key, value);
        }

        /** Adds a value to the JSON only, e.g. a nested payload. */
        Payload putJson(String key, Object value) {
            if (json.length() > 1) {
                json.append(',');
            }
            string(key);
            json.append(':');
            if (value == null) {
                json.append("null");
            } else if (value instanceof String text) {
                string(text);
            } else if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
                json.append(value);
            } else if (value instanceof String[] texts) {
                json.append('[');
                for (int i = 0; i < texts.length; i++) {
                    if (i > 0) {
                        json.append(',');
                    }
                    string(texts[i]);
                }
                json.append(']');
            } else if (value instanceof Payload nested) {
                json.append(nested.json()); // its JSON only
            } else {
                throw new IllegalArgumentException("Not a plain event value: " + value.getClass().getName());
            }
            return this;
        }

        private void string(String text) {
            json.append('"');
            JsonStringEncoder.getInstance().quoteAsString(text, json);
            json.append('"');
        }

        /** @return the payload as JSON */
        String json() {
            return new StringBuilder(json.length() + 1).append(json).append('}').toString();
        }

        /** @return the event properties: the non-null values and the JSON */
        Map<String, Object> properties() {
            properties.put(BatchEvents.JSON, json());
            return properties;
        }
    }

    private EventPayloads() {
    }

    /** Starts a payload; keys keep their insertion order in the JSON. */
    static Payload payload() {
        return new Payload();
    }

    static Map<String, Object> properties(Payload payload) {
        return payload.properties();
    }
}

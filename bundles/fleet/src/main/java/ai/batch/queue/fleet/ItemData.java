package ai.batch.queue.fleet;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Item data in fleet mode: what another machine can read back. Strings, numbers, booleans, maps with string
 * keys and lists of those, URIs, URLs and paths (a shared path means the same file on every node) are kept as
 * JSON with the name of their class; anything else is refused at enqueue, naming the item and the class, because
 * no other node could rebuild it.
 */
final class ItemData {

    /** Item data as stored: JSON text and the top-level class name ({@code null} for null data). */
    record Stored(String json, String type) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ItemData() {
    }

    static Stored store(String itemId, Object data) {
        if (data == null) {
            return new Stored(null, null);
        }
        Object plain = data instanceof URI || data instanceof URL || data instanceof Path ? data.toString() : data;
        check(itemId, plain, "");
        try {
            return new Stored(JSON.writeValueAsString(plain), data instanceof Path ? Path.class.getName() : data.getClass().getName());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Item " + itemId + ": its data cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void check(String itemId, Object value, String where) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double || value instanceof Float || value instanceof Short
                || value instanceof java.math.BigDecimal || value instanceof java.math.BigInteger) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw refused(itemId, where + "{key " + entry.getKey() + "}", entry.getKey());
                }
                check(itemId, entry.getValue(), where + "." + key);
            }
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                check(itemId, list.get(i), where + "[" + i + "]");
            }
            return;
        }
        throw refused(itemId, where, value);
    }

    private static IllegalArgumentException refused(String itemId, String where, Object value) {
        return new IllegalArgumentException("Item " + itemId + ": data" + where + " is a " + value.getClass().getName()
                + ", which another node cannot read back; in fleet mode item data must be a string, number, boolean, "
                + "map, list, URI, URL or shared path");
    }

    /** Rebuilds stored data: the same class for the types {@link #store} accepts. */
    static Object restore(String json, String type) {
        if (json == null) {
            return null;
        }
        try {
            Object plain = JSON.readValue(json, Object.class);
            if (type == null) {
                return plain;
            }
            return switch (type) {
                case "java.net.URI" -> URI.create((String) plain);
                case "java.net.URL" -> URI.create((String) plain).toURL();
                case "java.nio.file.Path" -> Path.of((String) plain);
                case "java.lang.Long" -> ((Number) plain).longValue();
                case "java.lang.Integer" -> ((Number) plain).intValue();
                case "java.lang.Double" -> ((Number) plain).doubleValue();
                case "java.lang.Float" -> ((Number) plain).floatValue();
                case "java.lang.Short" -> ((Number) plain).shortValue();
                default -> plain instanceof Map<?, ?> map ? new LinkedHashMap<>(map)
                        : plain instanceof List<?> list ? new ArrayList<>(list) : plain;
            };
        } catch (JsonProcessingException | MalformedURLException | ClassCastException | IllegalArgumentException e) {
            throw new IllegalStateException("Stored item data of type " + type + " cannot be read: " + e.getMessage(), e);
        }
    }
}

package ai.batch.queue.impl.journal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How item data is recorded and restored. The journal keeps each item's data as JSON and the name of its class.
 * On restore, only JDK value types are rebuilt directly; any other class is never instantiated because the file
 * names it: the data stays a {@link JsonNode} until a handler that declares that class
 * ({@code ai.batch.dataType}) converts it with its own class loader.
 */
final class DataTypes {

    private static final Map<String, Class<?>> JDK_TYPES = Map.ofEntries(
            Map.entry(String.class.getName(), String.class),
            Map.entry(Integer.class.getName(), Integer.class),
            Map.entry(Long.class.getName(), Long.class),
            Map.entry(Double.class.getName(), Double.class),
            Map.entry(Float.class.getName(), Float.class),
            Map.entry(Short.class.getName(), Short.class),
            Map.entry(Byte.class.getName(), Byte.class),
            Map.entry(Boolean.class.getName(), Boolean.class),
            Map.entry(Character.class.getName(), Character.class),
            Map.entry(BigDecimal.class.getName(), BigDecimal.class),
            Map.entry(BigInteger.class.getName(), BigInteger.class),
            Map.entry(UUID.class.getName(), UUID.class));

    private DataTypes() {
    }

    /** The name recorded for a value's type; {@code null} for null data. */
    static String nameOf(Object data) {
        if (data == null) {
            return null;
        }
        if (data instanceof Map) {
            return Map.class.getName();
        }
        if (data instanceof List) {
            return List.class.getName();
        }
        return data.getClass().getName();
    }

    /**
     * Restores data the journal recorded as {@code typeName}: JDK value types, maps and lists directly; anything
     * else stays JSON.
     */
    static Object restore(ObjectMapper mapper, JsonNode json, String typeName) {
        if (json == null || json.isNull() || typeName == null) {
            return null;
        }
        Class<?> jdkType = JDK_TYPES.get(typeName);
        if (jdkType != null) {
            return mapper.convertValue(json, jdkType);
        }
        if (typeName.equals(Map.class.getName()) || typeName.equals(List.class.getName())) {
            return mapper.convertValue(json, Object.class);
        }
        return json;
    }

    /** Whether {@link #restore} gives data of this type back as itself. */
    static boolean restoresDirectly(String typeName) {
        return typeName == null || JDK_TYPES.containsKey(typeName) || typeName.equals(Map.class.getName())
                || typeName.equals(List.class.getName());
    }
}

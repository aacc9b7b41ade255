package ai.batch.queue.sim.trace;

import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed, checked access to the fields of one JSON line; every problem names the line and the field. */
final class JsonLine {

    private final JsonNode node;
    private final int line;

    JsonLine(JsonNode node, int line) {
        this.node = node;
        this.line = line;
    }

    int line() {
        return line;
    }

    TraceFormatException error(String message) {
        return new TraceFormatException(line, message);
    }

    /** Rejects fields not in {@code allowed}, so a typo is an error rather than a silent default. */
    void onlyFields(String kind, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw error("unknown field '" + name + "' in a " + kind + " line (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    JsonNode get(String field) {
        return node.get(field);
    }

    String text(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw error("missing field '" + field + "'");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw error("'" + field + "' must be a non-blank string, was " + value);
        }
        return value.asText();
    }

    String text(String field, String fallback) {
        return has(field) ? text(field) : fallback;
    }

    long wholeNumber(String field, long min) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw error("missing field '" + field + "'");
        }
        return wholeNumber(field, value, min);
    }

    long wholeNumber(String field, long min, long fallback) {
        return has(field) ? wholeNumber(field, min) : fallback;
    }

    long wholeNumber(String field, JsonNode value, long min) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw error("'" + field + "' must be a whole number, was " + value);
        }
        long result = value.asLong();
        if (result < min) {
            throw error("'" + field + "' must be at least " + min + ", was " + result);
        }
        return result;
    }

    /** A number in {@code [min, max]}, or in {@code [min, max)} when {@code maxExcluded}. */
    double fraction(String field, double fallback, double max, boolean maxExcluded) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode value = node.get(field);
        double result = value.asDouble();
        boolean inRange = value.isNumber() && result >= 0 && (maxExcluded ? result < max : result <= max);
        if (!inRange) {
            throw error("'" + field + "' must be a number from 0 to " + max + (maxExcluded ? " (excluded)" : "")
                    + ", was " + value);
        }
        return result;
    }
}

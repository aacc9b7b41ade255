package ai.batch.queue.openai;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the error bodies OpenAI-compatible servers send, and says which statuses may pass:
 * <ul>
 * <li>OpenAI: {@code {"error":{"message":…,"type":…,"param":…,"code":…}}};</li>
 * <li>llama.cpp: {@code {"error":{"code":503,"message":…,"type":"unavailable_error"}}} (the same shape, with a
 * numeric code);</li>
 * <li>plain: {@code {"error":"…"}}, and FastAPI's {@code {"detail":"…"}} or {@code {"detail":[{"msg":…}]}}
 * (vLLM);</li>
 * <li>anything else: the start of the body as text.</li>
 * </ul>
 */
final class ErrorBodies {

    private static final int MAX_DETAIL = 500;

    private ErrorBodies() {
    }

    /**
     * @param status an HTTP status other than 2xx
     * @return whether trying again later may help: 408, 429, 502, 503, 504
     */
    static boolean retryable(int status) {
        return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
    }

    /**
     * The server's own words about an error, from any of the known shapes.
     *
     * @param body the response body, possibly empty or not JSON
     * @return a one-line message, never {@code null}; empty when the body says nothing
     */
    static String message(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "";
        }
        try {
            JsonNode root = Json.MAPPER.readTree(text);
            String message = root == null ? null : message(root);
            if (message != null) {
                return shorten(message);
            }
        } catch (Exception e) {
            // not JSON: fall through to the text itself
        }
        return shorten(text);
    }

    /**
     * @param root a parsed error body
     * @return its message, or {@code null} when it has none of the known shapes
     */
    static String message(JsonNode root) {
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            List<String> parts = new ArrayList<>();
            add(parts, error.get("message"), "");
            add(parts, error.get("type"), "type ");
            add(parts, error.get("code"), "code ");
            return parts.isEmpty() ? error.toString() : String.join(", ", parts);
        }
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        JsonNode detail = root.get("detail");
        if (detail != null && detail.isTextual()) {
            return detail.asText();
        }
        if (detail != null && detail.isArray()) {
            List<String> parts = new ArrayList<>();
            detail.forEach(entry -> parts.add(entry.hasNonNull("msg") ? entry.get("msg").asText() : entry.toString()));
            return String.join("; ", parts);
        }
        JsonNode message = root.get("message");
        return message != null && message.isTextual() ? message.asText() : null;
    }

    private static void add(List<String> parts, JsonNode node, String prefix) {
        if (node != null && !node.isNull() && !node.asText().isBlank()) {
            parts.add(prefix + node.asText());
        }
    }

    /**
     * Turns a {@code Retry-After} header (seconds, or an HTTP date) into words.
     *
     * @param header the header's value, or {@code null}
     * @param now the current time, for a date
     * @return e.g. "retry after 30 s", or {@code null} when there is no usable header
     */
    static String retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            return "retry after " + value + " s";
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            long seconds = Math.max(0, Duration.between(now, at).toSeconds());
            return "retry after " + seconds + " s (" + value + ")";
        } catch (DateTimeParseException e) {
            return "retry after " + shorten(value);
        }
    }

    private static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "…";
    }
}

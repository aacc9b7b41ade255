package ai.batch.queue.openai;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    /**
     * The longest wait a server may ask for. The queue never tries an item sooner than asked, so a broken or
     * hostile header must not park an item for longer than this.
     */
    static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    /** RFC 850 ({@code Thursday, 03-Dec-26 10:01:30 GMT}) and asctime ({@code Thu Dec  3 10:01:30 2026}), in GMT. */
    private static final List<DateTimeFormatter> OBSOLETE_DATES = List.of(
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss", Locale.US),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US));

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
     * @param mask takes the API key out before the message is shortened
     * @return a one-line message, never {@code null}; empty when the body says nothing
     */
    static String message(byte[] body, KeyMask mask) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "";
        }
        try {
            JsonNode root = Json.MAPPER.readTree(text);
            String message = root == null ? null : message(root);
            if (message != null) {
                return mask.cut(message, MAX_DETAIL);
            }
        } catch (Exception e) {
            // not JSON: fall through to the text itself
        }
        return mask.cut(text, MAX_DETAIL);
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
     * Reads a {@code Retry-After} header: delta-seconds, or an HTTP date (RFC 1123, as RFC 9110 requires).
     *
     * @param header the header's value, or {@code null}
     * @param now the current time, for a date
     * @return how long to wait from now (zero for a date already past, at most {@link #MAX_RETRY_AFTER}), or
     *         {@code null} when there is no usable header
     */
    static Duration retryAfterDuration(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return min(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException | ArithmeticException tooLarge) {
                return MAX_RETRY_AFTER;
            }
        }
        Instant at = httpDate(value);
        if (at == null) {
            return null;
        }
        Duration left = Duration.between(now, at);
        return left.isNegative() ? Duration.ZERO : min(left);
    }

    /** The three forms of an HTTP date that RFC 9110 asks a recipient to accept: IMF-fixdate, RFC 850, asctime. */
    private static Instant httpDate(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException notImf) {
            // try the obsolete forms
        }
        for (DateTimeFormatter obsolete : OBSOLETE_DATES) {
            try {
                return LocalDateTime.parse(value.replace(" GMT", ""), obsolete).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // the next form
            }
        }
        return null;
    }

    private static Duration min(Duration wait) {
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    /**
     * Turns a {@code Retry-After} header (seconds, or an HTTP date) into words.
     *
     * @param header the header's value, or {@code null}
     * @param now the current time, for a date
     * @param mask takes the API key out of a value that is neither (it is shown as it came)
     * @return e.g. "retry after 30 s", or {@code null} when there is no usable header
     */
    static String retryAfter(String header, Instant now, KeyMask mask) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        Duration wait = retryAfterDuration(value, now);
        if (wait == null) {
            return "retry after " + mask.cut(value, MAX_DETAIL);
        }
        boolean seconds = value.chars().allMatch(c -> c >= '0' && c <= '9');
        return "retry after " + wait.toSeconds() + " s" + (seconds ? "" : " (" + value + ")");
    }
}

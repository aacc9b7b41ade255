package ai.batch.queue.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.runtime.kit.FailureText;
import ai.batch.queue.runtime.kit.SecretMask;

/**
 * Reads the error bodies OpenAI-compatible servers send (which statuses may pass, and how long to wait, the
 * runtime kit's {@code HttpStatuses} and {@code RetryAfter} say alike for every server):
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

    private ErrorBodies() {
    }

    /**
     * The server's own words about an error, from any of the known shapes.
     *
     * @param body the response body, possibly empty or not JSON
     * @param mask takes the API key out before the message is shortened ({@link FailureText#serverText})
     * @return a one-line message, never {@code null}; empty when the body says nothing
     */
    static String message(byte[] body, SecretMask mask) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "";
        }
        try {
            JsonNode root = Json.MAPPER.readTree(text);
            String message = root == null ? null : message(root);
            if (message != null) {
                return FailureText.serverText(message, mask);
            }
        } catch (Exception e) {
            // not JSON: fall through to the text itself
        }
        return FailureText.serverText(text, mask);
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
}

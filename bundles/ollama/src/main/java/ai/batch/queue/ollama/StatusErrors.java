package ai.batch.queue.ollama;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * What an error status of the server means for the item:
 * <table>
 * <caption>status mapping</caption>
 * <tr><th>status</th><th>outcome</th></tr>
 * <tr><td>404 to a model's request, or an error saying the model is not found</td><td>final; says to run
 * {@code ollama pull}</td></tr>
 * <tr><td>404 to a request without a model ({@code /api/ps})</td><td>final; the server does not offer it</td></tr>
 * <tr><td>400 and other 4xx</td><td>final; the server's error</td></tr>
 * <tr><td>429, 502, 503, 504</td><td>retryable; with the server's {@code Retry-After}, if any, as the least
 * wait</td></tr>
 * <tr><td>other 5xx</td><td>final; the server's error (out of memory, a crashed runner)</td></tr>
 * </table>
 */
final class StatusErrors {

    private StatusErrors() {
    }

    static OllamaException of(int status, HttpHeaders headers, String error, String path, OllamaClient.Call call,
            String where) {
        String said = error.isEmpty() ? "" : ": " + error;
        if (call.model() == null && status == 404) {
            // Only a model's request answered 404 means a missing model; this is a missing endpoint.
            return new OllamaException("the server does not offer " + path + " (404" + said + "): not an Ollama "
                    + "server, or one too old for it" + where, false, status, null);
        }
        if (call.model() != null && (status == 404 || modelNotFound(error))) {
            return new OllamaException("model " + call.model() + " is not on the server (" + status + said
                    + "); run `ollama pull " + call.model() + "`" + where, false, status, null);
        }
        if (status == 429 || status == 502 || status == 503 || status == 504) {
            String header = headers.firstValue("Retry-After").map(String::strip).orElse(null);
            Duration retryAfter = retryAfter(header);
            String retry = header == null ? "" : "; retry after " + header + (header.matches("\\d+") ? " s" : "");
            String what = status == 429 ? "too many requests" : "server busy or unavailable";
            return new OllamaException(what + " (" + status + said + ")" + retry + where, true, status, retryAfter);
        }
        if (status >= 400 && status < 500) {
            return new OllamaException("request rejected (" + status + said + ")" + where, false, status, null);
        }
        return new OllamaException("server error (" + status + said + ")" + where, false, status, null);
    }

    /**
     * {@code Retry-After} as a wait: delta-seconds or an HTTP date (RFC 9110); null when absent, unreadable or
     * already past.
     */
    static Duration retryAfter(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        if (header.matches("\\d{1,9}")) {
            long seconds = Long.parseLong(header);
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        }
        try {
            Instant when = ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(Instant.now(), when);
            return wait.isNegative() || wait.isZero() ? null : wait;
        } catch (DateTimeParseException e) {
            return null; // the obsolete date forms are not worth a wrong wait
        }
    }

    private static boolean modelNotFound(String error) {
        String text = error.toLowerCase(Locale.ROOT);
        return text.contains("model") && text.contains("not found");
    }
}

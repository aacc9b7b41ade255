package ai.batch.queue.ollama;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import ai.batch.queue.runtime.kit.HttpStatuses;
import ai.batch.queue.runtime.kit.RetryAfter;
import ai.batch.queue.runtime.kit.SecretMask;

/**
 * What an error status of the server means for the item. Which statuses may pass, their words and the
 * {@code Retry-After} wait are the runtime kit's ({@link HttpStatuses}, {@link RetryAfter}), alike for every
 * server; what only Ollama's answers tell is decided here:
 * <table>
 * <caption>status mapping</caption>
 * <tr><th>status</th><th>outcome</th></tr>
 * <tr><td>404 to a model's request, or an error saying the model is not found</td><td>final; says to run
 * {@code ollama pull}</td></tr>
 * <tr><td>404 to a request without a model ({@code /api/ps})</td><td>final; the server does not offer it</td></tr>
 * <tr><td>408, 429, 502, 503, 504</td><td>retryable; with the server's {@code Retry-After}, if any, as the least
 * wait</td></tr>
 * <tr><td>other 4xx and 5xx (out of memory, a crashed runner)</td><td>final; the server's error</td></tr>
 * </table>
 */
final class StatusErrors {

    private StatusErrors() {
    }

    /**
     * @param error the server's words, already masked and cut; empty for none
     */
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
        String message = HttpStatuses.describe(status, error);
        if (HttpStatuses.retryable(status)) {
            String header = headers.firstValue("Retry-After").orElse(null);
            Instant now = Instant.now();
            Duration retryAfter = RetryAfter.parse(header, now);
            String words = RetryAfter.words(header, now, SecretMask.NONE);
            return new OllamaException(message + (words == null ? "" : "; " + words) + where, true, status,
                    retryAfter);
        }
        return new OllamaException(message + where, false, status, null);
    }

    private static boolean modelNotFound(String error) {
        String text = error.toLowerCase(Locale.ROOT);
        return text.contains("model") && text.contains("not found");
    }
}

package ai.batch.queue.ollama;

import java.net.http.HttpHeaders;
import java.util.Locale;

/**
 * What an error status of the server means for the item:
 * <table>
 * <caption>status mapping</caption>
 * <tr><th>status</th><th>outcome</th></tr>
 * <tr><td>404, or an error saying the model is not found</td><td>final; says to run {@code ollama pull}</td></tr>
 * <tr><td>400 and other 4xx</td><td>final; the server's error</td></tr>
 * <tr><td>429, 502, 503, 504</td><td>retryable; with the server's {@code Retry-After}, if any</td></tr>
 * <tr><td>other 5xx</td><td>final; the server's error (out of memory, a crashed runner)</td></tr>
 * </table>
 */
final class StatusErrors {

    private StatusErrors() {
    }

    static OllamaException of(int status, HttpHeaders headers, String error, OllamaClient.Call call, String where) {
        String said = error.isEmpty() ? "" : ": " + error;
        if (status == 404 || modelNotFound(error)) {
            return new OllamaException("model " + call.model() + " is not on the server (" + status + said
                    + "); run `ollama pull " + call.model() + "`" + where, false);
        }
        if (status == 429 || status == 502 || status == 503 || status == 504) {
            String retry = headers.firstValue("Retry-After").map(v -> "; retry after " + v.strip()
                    + (v.strip().matches("\\d+") ? " s" : "")).orElse("");
            String what = status == 429 ? "too many requests" : "server busy or unavailable";
            return new OllamaException(what + " (" + status + said + ")" + retry + where, true);
        }
        if (status >= 400 && status < 500) {
            return new OllamaException("request rejected (" + status + said + ")" + where, false);
        }
        return new OllamaException("server error (" + status + said + ")" + where, false);
    }

    private static boolean modelNotFound(String error) {
        String text = error.toLowerCase(Locale.ROOT);
        return text.contains("model") && text.contains("not found");
    }
}

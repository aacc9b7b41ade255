package ai.batch.queue.openai;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.runtime.kit.FailureText;
import ai.batch.queue.runtime.kit.HttpStatuses;
import ai.batch.queue.runtime.kit.RetryAfter;
import ai.batch.queue.runtime.kit.SecretMask;

/**
 * JSON over HTTP/1.1 to one server, each exchange bounded in time (the request timeout covers connecting,
 * headers and the whole body: the JDK's own timeout stops at the headers) and in size. Thread-safe.
 */
final class OpenAiClient {

    private static final Duration MAX_CONNECT = Duration.ofSeconds(30);
    private final OpenAiSettings settings;
    private final SecretMask mask;
    private final HttpClient http;

    OpenAiClient(OpenAiSettings settings) {
        this.settings = settings;
        this.mask = new SecretMask(settings.apiKey());
        Duration timeout = settings.requestTimeout();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(MAX_CONNECT) < 0 ? timeout : MAX_CONNECT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** @return what takes this server's API key out of the text it sends */
    SecretMask mask() {
        return mask;
    }

    /** @return the server as shown in messages: the base URL, which never holds credentials */
    String server() {
        return settings.baseUrl().toString();
    }

    /**
     * @param path below the base URL, e.g. {@code /models}
     * @return the parsed answer
     * @throws ServerException for any answer but a 2xx with JSON
     * @throws InterruptedException when the calling thread is interrupted; the request is abandoned
     */
    JsonNode get(String path) throws ServerException, InterruptedException {
        return exchange("GET", settings.baseUrl(), path, null);
    }

    JsonNode post(String path, JsonNode body) throws ServerException, InterruptedException {
        return exchange("POST", settings.baseUrl(), path, body);
    }

    /** As {@link #get}, below the server root (llama.cpp's router endpoints). */
    JsonNode getAtRoot(String path) throws ServerException, InterruptedException {
        return exchange("GET", settings.serverRoot(), path, null);
    }

    JsonNode postAtRoot(String path, JsonNode body) throws ServerException, InterruptedException {
        return exchange("POST", settings.serverRoot(), path, body);
    }

    private JsonNode exchange(String method, URI base, String path, JsonNode body)
            throws ServerException, InterruptedException {
        String where = "server " + base + " (" + method + " " + path + ")";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(settings.requestTimeout()).header("Accept", "application/json");
        if (!settings.apiKey().isEmpty()) {
            request.header("Authorization", "Bearer " + settings.apiKey());
        }
        if (body != null) {
            byte[] bytes;
            try {
                bytes = Json.MAPPER.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new ServerException(where + ": the request could not be written: " + e.getOriginalMessage(),
                        0, false, e);
            }
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        } else {
            request.GET();
        }
        HttpResponse<byte[]> response = send(request.build(), where);
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw statusError(where, status, response);
        }
        try {
            JsonNode node = Json.MAPPER.readTree(response.body());
            if (node == null || node.isMissingNode()) {
                throw new ServerException(where + ": empty response where JSON was expected", status, false);
            }
            return node;
        } catch (IOException e) {
            // Only where it broke: the parser's message quotes the body, cut at its own length, and the cut could
            // leave part of an echoed key behind.
            throw new ServerException(where + ": malformed JSON in the response" + location(e), status, false);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request, String where)
            throws ServerException, InterruptedException {
        long timeoutMs = settings.requestTimeout().toMillis();
        BoundedBody body = new BoundedBody(settings.maxResponseBytes());
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, body);
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(future, body);
            throw new ServerException(where + ": no complete answer within " + timeoutMs + " ms (request.timeout.ms)",
                    0, true);
        } catch (InterruptedException e) {
            abandon(future, body);
            throw e;
        } catch (ExecutionException e) {
            throw failure(where, e.getCause() == null ? e : e.getCause());
        }
    }

    private static void abandon(CompletableFuture<?> future, BoundedBody body) {
        body.cancel();
        future.cancel(true);
    }

    private ServerException failure(String where, Throwable cause) {
        if (cause instanceof BoundedBody.TooLarge) {
            return new ServerException(where + ": " + cause.getMessage(), 0, false);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new ServerException(where + ": could not connect in time", 0, true);
        }
        if (cause instanceof HttpTimeoutException) {
            return new ServerException(where + ": no answer within " + settings.requestTimeout().toMillis()
                    + " ms (request.timeout.ms)", 0, true);
        }
        if (cause instanceof ConnectException) {
            return new ServerException(where + ": connection refused or unreachable; is the server running?", 0,
                    true);
        }
        if (cause instanceof IOException) {
            return new ServerException(where + ": " + FailureText.serverText(firstLine(cause), mask), 0, true);
        }
        return new ServerException(where + ": " + FailureText.serverText(firstLine(cause), mask), 0, false);
    }

    private ServerException statusError(String where, int status, HttpResponse<byte[]> response) {
        StringBuilder message = new StringBuilder(where).append(": ")
                .append(HttpStatuses.describe(status, ErrorBodies.message(response.body(), mask)));
        if (status == 401 || status == 403) {
            message.append(settings.apiKey().isEmpty() ? "; no API key is configured (.apiKey)"
                    : "; check the API key (.apiKey)");
        }
        boolean retryable = HttpStatuses.retryable(status);
        Duration retryAfter = null;
        if (retryable) {
            String header = response.headers().firstValue("Retry-After").orElse(null);
            Instant now = Instant.now();
            retryAfter = RetryAfter.parse(header, now);
            String words = RetryAfter.words(header, now, mask);
            if (words != null) {
                message.append("; ").append(words);
            }
        }
        return new ServerException(message.toString(), status, retryable, retryAfter);
    }

    private static String location(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json && json.getLocation() != null) {
            return " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
        }
        return "";
    }

    private static String firstLine(Throwable error) {
        String message = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

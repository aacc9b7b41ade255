package ai.batch.queue.ollama;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.runtime.kit.FailureText;
import ai.batch.queue.runtime.kit.SecretMask;

/**
 * Ollama's HTTP API as calls with deadlines, over the JDK client on HTTP/1.1. Every failure becomes an
 * {@link OllamaException} whose message names the server, the model and the job, and says whether it may pass.
 */
final class OllamaClient {

    /**
     * Who a call is for, for the messages: the model (if any), for items the job, and the configuration key of
     * its deadline.
     */
    record Call(String model, String jobId, String deadlineKey, Duration deadline) {
    }

    /** Receives the JSON objects of a streamed answer; returns {@code true} once the answer is done. */
    interface Chunks {
        boolean accept(JsonNode chunk) throws OllamaException;
    }

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI base;
    private final long maxResponseBytes;

    OllamaClient(OllamaSettings settings, ObjectMapper json, Executor executor) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // Ollama speaks HTTP/1.1; no upgrade attempts
                .connectTimeout(settings.connectTimeout())
                .executor(executor)
                .build();
        this.json = json;
        this.base = settings.baseUri();
        this.maxResponseBytes = settings.maxResponseBytes();
    }

    URI base() {
        return base;
    }

    /**
     * POSTs and reads an NDJSON answer to the end of the body, before the deadline; {@code chunks} gets each line
     * up to the one it says is done. The body is read past that line to its end even so: a response abandoned
     * before its end closes the connection, and the next request would open a new one.
     */
    void stream(String path, JsonNode body, Call call, long deadlineNanos, BooleanSupplier cancelled, Chunks chunks)
            throws OllamaException, InterruptedException {
        Exchange exchange = send(post(path, body, deadlineNanos), call, deadlineNanos, cancelled);
        boolean ended = false;
        try {
            boolean done = false;
            String line;
            while ((line = exchange.nextLine(deadlineNanos, cancelled)) != null) {
                if (!done && !line.isBlank()) {
                    done = chunks.accept(parse(line, call));
                }
            }
            ended = true;
            if (!done) {
                throw new OllamaException("the answer ended before it was done" + where(call), true);
            }
        } catch (Exchange.Failure failure) {
            throw translate(failure, call);
        } finally {
            if (!ended) {
                exchange.abort(); // stopped early (an error line, a parse error): the connection goes
            }
        }
    }

    /** POSTs and reads one JSON answer. */
    JsonNode post(String path, JsonNode body, Call call, long deadlineNanos, BooleanSupplier cancelled)
            throws OllamaException, InterruptedException {
        return whole(send(post(path, body, deadlineNanos), call, deadlineNanos, cancelled), call, deadlineNanos,
                cancelled);
    }

    /** GETs one JSON answer. */
    JsonNode get(String path, Call call, long deadlineNanos, BooleanSupplier cancelled)
            throws OllamaException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(remaining(deadlineNanos))
                .header("Accept", "application/json").GET().build();
        return whole(send(request, call, deadlineNanos, cancelled), call, deadlineNanos, cancelled);
    }

    private JsonNode whole(Exchange exchange, Call call, long deadlineNanos, BooleanSupplier cancelled)
            throws OllamaException, InterruptedException {
        try {
            return parse(readAll(exchange, deadlineNanos, cancelled), call);
        } catch (Exchange.Failure failure) {
            throw translate(failure, call);
        }
    }

    private HttpRequest post(String path, JsonNode body, long deadlineNanos) throws OllamaException {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new OllamaException("could not write the request: " + e.getOriginalMessage(), false, e);
        }
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(remaining(deadlineNanos)) // covers the headers only; the body has the deadline
                .header("Content-Type", "application/json")
                .header("Accept", "application/x-ndjson, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    }

    /** Sends, waits for the status, and turns an error status into an exception with the server's words. */
    private Exchange send(HttpRequest request, Call call, long deadlineNanos, BooleanSupplier cancelled)
            throws OllamaException, InterruptedException {
        Exchange exchange = new Exchange(maxResponseBytes);
        exchange.started(http.sendAsync(request, exchange));
        Exchange.Start start;
        try {
            start = exchange.awaitStart(deadlineNanos, cancelled);
            if (start.status() / 100 == 2) {
                return exchange;
            }
            String text = readAll(exchange, deadlineNanos, cancelled);
            throw StatusErrors.of(start.status(), start.headers(), errorText(text), request.uri().getPath(), call,
                    where(call));
        } catch (Exchange.Failure failure) {
            throw translate(failure, call);
        }
    }

    private static String readAll(Exchange exchange, long deadlineNanos, BooleanSupplier cancelled)
            throws Exchange.Failure, InterruptedException {
        StringBuilder text = new StringBuilder();
        String line;
        while ((line = exchange.nextLine(deadlineNanos, cancelled)) != null) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(line);
        }
        return text.toString();
    }

    /**
     * The {@code error} of a JSON error body, or the body itself, as one short line. Ollama takes no key, so
     * there is no secret to mask; the cut is the kit's, as for every server.
     */
    private String errorText(String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.hasNonNull("error")) {
                return FailureText.serverText(node.get("error").asText(), SecretMask.NONE);
            }
        } catch (JsonProcessingException e) {
            // not JSON: a proxy's page, or an old server's plain text
        }
        return FailureText.serverText(body, SecretMask.NONE);
    }

    private JsonNode parse(String text, Call call) throws OllamaException {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw new OllamaException("the server answered something that is not a JSON object" + where(call),
                        false);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new OllamaException("the server answered malformed JSON (" + e.getOriginalMessage() + ")"
                    + where(call), false, e);
        }
    }

    private OllamaException translate(Exchange.Failure failure, Call call) {
        return switch (failure.kind()) {
            case DEADLINE -> new OllamaException("no complete answer within " + call.deadlineKey() + " ("
                    + call.deadline().toMillis() + " ms)" + where(call), true);
            case CANCELLED -> new OllamaException("cancelled" + where(call), false);
            case TOO_LARGE -> new OllamaException("the answer is larger than maxResponseBytes (" + maxResponseBytes
                    + " bytes)" + where(call), false);
            case IO -> io(failure.getCause(), call);
        };
    }

    private OllamaException io(Throwable error, Call call) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return new OllamaException("could not connect to the server in time" + where(call), true, error);
            }
            if (t instanceof ConnectException) {
                return new OllamaException("the server is not running or not reachable (connection refused); start "
                        + "it with `ollama serve`" + where(call), true, error);
            }
            if (t instanceof HttpTimeoutException) {
                return new OllamaException("no answer within " + call.deadlineKey() + " (" + call.deadline().toMillis()
                        + " ms)" + where(call), true, error);
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return new OllamaException("the connection failed (" + describe(t) + ")" + where(call), true, error);
            }
        }
        return new OllamaException("the request failed (" + describe(error) + ")" + where(call), false, error);
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getClass().getSimpleName() + ": " + t.getMessage()
                : t.getClass().getSimpleName();
    }

    /**
     * The end of every message: which server, and for a lifecycle call which model. An item's message names its
     * model, job and item in front ({@link FailureText#item}), so they are not said twice.
     */
    String where(Call call) {
        return " (Ollama " + base + (call.jobId() == null && call.model() != null ? ", model " + call.model() : "")
                + ")";
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }
}

package ai.batch.queue.ollama;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An Ollama server in the test, on {@code com.sun.net.httpserver}, following the public API: {@code /api/generate}
 * (streamed NDJSON or one object; an empty prompt loads, keep_alive 0 unloads), {@code /api/chat},
 * {@code /api/embed}, {@code /api/ps}. Models load in {@link #loadTime} and prompts take {@link #computeTime} (the
 * fake's work: a wait that ends early only when the server stops), a model whose load options change is reloaded,
 * at most {@link #capacity} stay loaded (least recently used goes first), and each stays for the keep_alive of its
 * most recent request ({@link FakeModelMemory}). Failures are scripted per request.
 */
final class FakeOllama implements AutoCloseable {

    /** A request as received. */
    record Request(String path, JsonNode body) {
    }

    /** What the next request to a path gets instead of a normal answer. */
    enum Trouble { BUSY_503, TOO_MANY_429, BAD_REQUEST_400, MID_STREAM_ERROR, MALFORMED, HUGE, STALL, CUT_SHORT }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-ollama");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Set<String> models = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<Trouble>> troubles = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Integer> embedBatchSizes = new CopyOnWriteArrayList<>();

    volatile Duration loadTime = Duration.ofMillis(80);
    volatile int capacity = 2;
    /** How long a generate request computes once its model is loaded. */
    volatile Duration computeTime = Duration.ZERO;
    volatile String retryAfter = "7";
    private final FakeModelMemory memory = new FakeModelMemory(() -> loadTime, () -> capacity, stopped);

    private FakeOllama(int port, String... knownModels) throws IOException {
        models.addAll(List.of(knownModels));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(threads);
        server.createContext("/api/generate", exchange -> handle(exchange, this::generate));
        server.createContext("/api/chat", exchange -> handle(exchange, this::chat));
        server.createContext("/api/embed", exchange -> handle(exchange, this::embed));
        server.createContext("/api/ps", exchange -> handle(exchange, this::ps));
        server.start();
    }

    static FakeOllama start(String... models) throws IOException {
        return new FakeOllama(0, models);
    }

    static FakeOllama startOn(int port, String... models) throws IOException {
        return new FakeOllama(port, models);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    int loads() {
        return memory.loads();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Integer> embedBatchSizes() {
        return List.copyOf(embedBatchSizes);
    }

    /** Makes the next request to {@code path} run into {@code trouble}. */
    void next(String path, Trouble trouble) {
        troubles.computeIfAbsent(path, p -> new ArrayDeque<>()).add(trouble);
    }

    Set<String> loadedNames() {
        return memory.loadedNames();
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    // ---- endpoints

    private interface Endpoint {
        void answer(HttpExchange exchange, JsonNode body) throws IOException, InterruptedException;
    }

    private void handle(HttpExchange exchange, Endpoint endpoint) throws IOException {
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            JsonNode body = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, body));
            Deque<Trouble> queue = troubles.get(path);
            Trouble trouble = queue == null ? null : queue.poll();
            if (trouble != null && troubleBeforeAnswer(exchange, trouble)) {
                return;
            }
            String model = body.path("model").asText("");
            if (!path.equals("/api/ps") && !models.contains(model)) {
                send(exchange, 404, error("model \"" + model + "\" not found, try pulling it first"));
                return;
            }
            if (trouble != null) {
                troubleInAnswer(exchange, body, trouble);
                return;
            }
            endpoint.answer(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        }
    }

    private boolean troubleBeforeAnswer(HttpExchange exchange, Trouble trouble) throws IOException {
        switch (trouble) {
            case BUSY_503 -> send(exchange, 503,
                    error("server busy, please try again.  maximum pending requests exceeded"));
            case TOO_MANY_429 -> {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
                send(exchange, 429, error("too many requests"));
            }
            case BAD_REQUEST_400 -> send(exchange, 400, error("invalid options: num_ctx must be a number"));
            default -> {
                return false;
            }
        }
        return true;
    }

    private void troubleInAnswer(HttpExchange exchange, JsonNode body, Trouble trouble)
            throws IOException, InterruptedException {
        String model = body.path("model").asText();
        exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        switch (trouble) {
            case MID_STREAM_ERROR -> {
                line(out, chunk(model).put("response", "The ").put("done", false));
                line(out, error("an error was encountered while running the model: CUDA error: out of memory"));
            }
            case MALFORMED -> out.write("{\"model\": \"x\", \"response\": \n".getBytes(StandardCharsets.UTF_8));
            case HUGE -> {
                String words = "word ".repeat(200);
                for (int i = 0; i < 200; i++) {
                    line(out, chunk(model).put("response", words).put("done", false));
                }
            }
            case STALL -> {
                line(out, chunk(model).put("response", "Thinking").put("done", false));
                stopped.await(30, TimeUnit.SECONDS);
            }
            case CUT_SHORT -> line(out, chunk(model).put("response", "Half an ans").put("done", false));
            default -> throw new IllegalStateException(trouble.name());
        }
    }

    private void generate(HttpExchange exchange, JsonNode body) throws IOException, InterruptedException {
        String model = body.path("model").asText();
        String prompt = body.path("prompt").asText("");
        int images = body.path("images").size();
        Duration keepAlive = FakeModelMemory.keepAlive(body.get("keep_alive"));
        if (prompt.isEmpty() && images == 0) {
            if (keepAlive.isZero()) {
                memory.unload(model);
                send(exchange, 200, chunk(model).put("response", "").put("done", true).put("done_reason", "unload"));
            } else {
                memory.ensureLoaded(model, body.path("options"), keepAlive);
                send(exchange, 200, chunk(model).put("response", "").put("done", true).put("done_reason", "load"));
            }
            return;
        }
        long start = System.nanoTime();
        long loadNanos = memory.ensureLoaded(model, body.path("options"), keepAlive);
        stopped.await(computeTime.toNanos(), TimeUnit.NANOSECONDS); // the model at work, unless the server stops
        String answer = "You said: " + prompt + (images > 0 ? " [" + images + " image(s)]" : "");
        boolean stream = body.path("stream").asBoolean(true);
        if (!stream) {
            send(exchange, 200, done(chunk(model).put("response", answer), start, loadNanos));
        } else {
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String part : parts(answer)) {
                line(out, chunk(model).put("response", part).put("done", false));
            }
            line(out, done(chunk(model).put("response", ""), start, loadNanos));
        }
        memory.afterRequest(model, keepAlive);
    }

    private void chat(HttpExchange exchange, JsonNode body) throws IOException, InterruptedException {
        String model = body.path("model").asText();
        Duration keepAlive = FakeModelMemory.keepAlive(body.get("keep_alive"));
        long start = System.nanoTime();
        long loadNanos = memory.ensureLoaded(model, body.path("options"), keepAlive);
        JsonNode messages = body.path("messages");
        JsonNode last = messages.path(messages.size() - 1);
        String answer = "You said: " + last.path("content").asText() + " (" + messages.size() + " messages)";
        exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String part : parts(answer)) {
            ObjectNode chunk = chunk(model).put("done", false);
            chunk.putObject("message").put("role", "assistant").put("content", part);
            line(out, chunk);
        }
        ObjectNode done = done(chunk(model), start, loadNanos);
        done.putObject("message").put("role", "assistant").put("content", "");
        line(out, done);
        memory.afterRequest(model, keepAlive);
    }

    private void embed(HttpExchange exchange, JsonNode body) throws IOException, InterruptedException {
        String model = body.path("model").asText();
        Duration keepAlive = FakeModelMemory.keepAlive(body.get("keep_alive"));
        long start = System.nanoTime();
        long loadNanos = memory.ensureLoaded(model, body.path("options"), keepAlive);
        List<String> inputs = new ArrayList<>();
        if (body.path("input").isArray()) {
            body.path("input").forEach(n -> inputs.add(n.asText()));
        } else {
            inputs.add(body.path("input").asText());
        }
        embedBatchSizes.add(inputs.size());
        ObjectNode answer = json.createObjectNode().put("model", model);
        ArrayNode embeddings = answer.putArray("embeddings");
        for (String input : inputs) {
            embeddings.addArray().add(input.length()).add(0.5).add(-0.25);
        }
        answer.put("total_duration", System.nanoTime() - start).put("load_duration", loadNanos)
                .put("prompt_eval_count", inputs.size());
        send(exchange, 200, answer);
        memory.afterRequest(model, keepAlive);
    }

    private void ps(HttpExchange exchange, JsonNode body) throws IOException {
        ObjectNode answer = json.createObjectNode();
        ArrayNode list = answer.putArray("models");
        for (FakeModelMemory.Loaded model : memory.loadedModels()) {
            list.addObject().put("name", model.name()).put("model", model.name())
                    .put("size", 5_000_000_000L).put("size_vram", 4_000_000_000L)
                    .put("digest", "sha256:0").put("expires_at", model.expiresAt() == null
                            ? "2318-08-29T05:31:14.812941856Z"
                            : OffsetDateTime.ofInstant(model.expiresAt(), ZoneOffset.ofHours(-7)).toString());
        }
        send(exchange, 200, answer);
    }

    // ---- wire

    private ObjectNode chunk(String model) {
        return json.createObjectNode().put("model", model).put("created_at", Instant.now().toString());
    }

    private ObjectNode done(ObjectNode chunk, long start, long loadNanos) {
        return chunk.put("done", true).put("done_reason", "stop").put("total_duration", System.nanoTime() - start)
                .put("load_duration", loadNanos).put("prompt_eval_count", 12).put("eval_count", 20);
    }

    private ObjectNode error(String message) {
        return json.createObjectNode().put("error", message);
    }

    private static List<String> parts(String text) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 5) {
            parts.add(text.substring(i, Math.min(text.length(), i + 5)));
        }
        return parts;
    }

    private void line(OutputStream out, JsonNode node) throws IOException {
        out.write(json.writeValueAsBytes(node));
        out.write('\n');
        out.flush();
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

package ai.batch.queue.ollama;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import ai.batch.queue.ollama.FakeModelMemory.Lease;

/**
 * An Ollama server in the test, on {@code com.sun.net.httpserver}, following Ollama's {@code docs/api.md} and
 * {@code server/routes.go}: {@code /api/generate} and {@code /api/chat} (streamed NDJSON, the headers with the first
 * token and the tokens over {@link #computeTime}, or one object; no prompt or messages loads, and with keep_alive 0
 * unloads, answered at once), {@code /api/embed} (one bad input fails the whole request), {@code /api/ps}. Model
 * names are matched case-insensitively and {@code name} means {@code name:latest}; keep_alive is read with Go's
 * duration rules. Which models stay loaded, and when requests wait, is {@link FakeModelMemory}'s (Ollama's
 * scheduler). Failures are scripted per request.
 */
final class FakeOllama implements AutoCloseable {

    /** A request as received. */
    record Request(String path, JsonNode body) {
    }

    /** What the next request to a path gets instead of a normal answer. */
    enum Trouble {
        /** Ollama's own 503, its pending queue full ({@code OLLAMA_MAX_QUEUE}); Ollama sends no Retry-After. */
        BUSY_503,
        /** A proxy in front of Ollama: 503 with {@link #retryAfter}. */
        PROXY_503,
        /** A proxy or gateway limiting the rate: 429 with {@link #retryAfter}. */
        TOO_MANY_429,
        /** A proxy that gave up waiting for the request: 408, without Retry-After. */
        TIMEOUT_408,
        BAD_REQUEST_400, MID_STREAM_ERROR, MALFORMED, HUGE, STALL, CUT_SHORT
    }

    private final FakeWire wire = new FakeWire();
    private final FakeTroubles troubles;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-ollama");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Set<String> models = ConcurrentHashMap.newKeySet();
    private final Set<String> refusedInputs = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<Trouble>> scripted = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Integer> embedBatchSizes = new CopyOnWriteArrayList<>();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    volatile Duration loadTime = Duration.ofMillis(80);
    /** How long freeing a model's memory takes after an unload or eviction. */
    volatile Duration unloadTime = Duration.ofMillis(10);
    /** Models that fit at once: {@code OLLAMA_MAX_LOADED_MODELS}, or what the memory holds. */
    volatile int capacity = 2;
    /** {@code OLLAMA_NUM_PARALLEL}: requests one model serves at once (Ollama's default is 1). */
    volatile int numParallel = 1;
    /** How long a generate or chat answer takes once its model is loaded, spread over its tokens. */
    volatile Duration computeTime = Duration.ZERO;
    volatile String retryAfter = "7";
    /** Whether {@code /api/ps} exists (an old or foreign server answers 404). */
    volatile boolean offersPs = true;
    private final FakeModelMemory memory = new FakeModelMemory(() -> loadTime, () -> unloadTime, () -> capacity,
            () -> numParallel, stopped);

    private FakeOllama(int port, String... knownModels) throws IOException {
        for (String model : knownModels) {
            models.add(FakeWire.canonical(model));
        }
        troubles = new FakeTroubles(wire, stopped);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(threads);
        server.createContext("/api/generate", exchange -> handle(exchange, this::generate));
        server.createContext("/api/chat", exchange -> handle(exchange, this::chat));
        server.createContext("/api/embed", exchange -> handle(exchange, this::embed));
        server.createContext("/api/ps", exchange -> handle(exchange, null));
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

    /** Models unloaded to make room for another. */
    int evictions() {
        return memory.evictions();
    }

    /** TCP connections the clients opened (each has a port of its own). */
    int connections() {
        return clientPorts.size();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Integer> embedBatchSizes() {
        return List.copyOf(embedBatchSizes);
    }

    /** Makes the next request to {@code path} run into {@code trouble}. */
    void next(String path, Trouble trouble) {
        scripted.computeIfAbsent(path, p -> new ArrayDeque<>()).add(trouble);
    }

    /** An embed input the model refuses: any request holding it fails whole (400), as in Ollama. */
    void refuseInput(String input) {
        refusedInputs.add(input);
    }

    /** The loaded models by Ollama's names ({@code moondream:latest}). */
    Set<String> loadedNames() {
        return memory.loadedNames();
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop(0);
        threads.shutdownNow();
        memory.close();
    }

    // ---- endpoints

    private interface Endpoint {
        void answer(HttpExchange exchange, JsonNode body, String model)
                throws IOException, InterruptedException, FakeWire.BadRequest;
    }

    private void handle(HttpExchange exchange, Endpoint endpoint) throws IOException {
        try (exchange) {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            JsonNode body = wire.read(exchange.getRequestBody().readAllBytes());
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, body));
            if (path.equals("/api/ps")) {
                if (offersPs) {
                    ps(exchange);
                } else { // Gin's answer to a route it does not have
                    byte[] text = "404 page not found".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(404, text.length);
                    exchange.getResponseBody().write(text);
                }
                return;
            }
            Deque<Trouble> queue = scripted.get(path);
            Trouble trouble = queue == null ? null : queue.poll();
            if (trouble != null && troubles.before(exchange, trouble, retryAfter)) {
                return;
            }
            String model = body.path("model").asText("");
            try {
                FakeWire.keepAlive(body.get("keep_alive")); // Go reads the whole body first: a bad value is a 400
            } catch (FakeWire.BadRequest e) {
                wire.send(exchange, 400, wire.error(e.getMessage()));
                return;
            }
            if (!models.contains(FakeWire.canonical(model))) {
                String error = path.equals("/api/embed") ? "model \"" + model + "\" not found, try pulling it first"
                        : "model '" + model + "' not found";
                wire.send(exchange, 404, wire.error(error));
                return;
            }
            if (trouble != null) {
                troubles.inAnswer(exchange, model, trouble);
                return;
            }
            endpoint.answer(exchange, body, model);
        } catch (FakeWire.BadRequest e) {
            wire.send(exchange, 400, wire.error(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        }
    }

    private void generate(HttpExchange exchange, JsonNode body, String model)
            throws IOException, InterruptedException, FakeWire.BadRequest {
        String prompt = body.path("prompt").asText("");
        int images = body.path("images").size();
        boolean noPrompt = prompt.isEmpty() && images == 0;
        if (noPrompt && loadOrUnload(exchange, body, model)) {
            return;
        }
        answer(exchange, body, model, "You said: " + prompt + (images > 0 ? " [" + images + " image(s)]" : ""),
                false);
    }

    private void chat(HttpExchange exchange, JsonNode body, String model)
            throws IOException, InterruptedException, FakeWire.BadRequest {
        JsonNode messages = body.path("messages");
        if (messages.isEmpty() && loadOrUnload(exchange, body, model)) {
            return;
        }
        JsonNode last = messages.path(messages.size() - 1);
        answer(exchange, body, model, "You said: " + last.path("content").asText() + " (" + messages.size()
                + " messages)", true);
    }

    /**
     * No prompt: with keep_alive 0 an unload, answered at once (the model goes once idle); otherwise a load,
     * answered once the model is ready. Both are one JSON object, never streamed.
     *
     * @return true (both answer the request)
     */
    private boolean loadOrUnload(HttpExchange exchange, JsonNode body, String model)
            throws IOException, InterruptedException, FakeWire.BadRequest {
        Duration keepAlive = FakeWire.keepAlive(body.get("keep_alive"));
        String name = FakeWire.canonical(model);
        if (keepAlive != null && keepAlive.isZero()) {
            memory.expire(name);
            wire.send(exchange, 200, wire.chunk(model).put("response", "").put("done", true)
                    .put("done_reason", "unload"));
            return true;
        }
        Lease lease = memory.acquire(name, body.path("options"), keepAlive);
        memory.release(lease);
        wire.send(exchange, 200, wire.chunk(model).put("response", "").put("done", true).put("done_reason", "load"));
        return true;
    }

    private void answer(HttpExchange exchange, JsonNode body, String model, String answer, boolean chat)
            throws IOException, InterruptedException, FakeWire.BadRequest {
        long start = System.nanoTime();
        Lease lease = memory.acquire(FakeWire.canonical(model), body.path("options"),
                FakeWire.keepAlive(body.get("keep_alive")));
        try {
            List<String> tokens = FakeWire.tokens(answer);
            long perToken = computeTime.toNanos() / Math.max(1, tokens.size());
            if (!body.path("stream").asBoolean(true)) {
                stopped.await(computeTime.toNanos(), TimeUnit.NANOSECONDS); // the model at work
                wire.send(exchange, 200, wire.done(wire.chunk(model).put("response", answer), start,
                        lease.loadNanos()));
                return;
            }
            for (String token : tokens) {
                stopped.await(perToken, TimeUnit.NANOSECONDS); // each token takes its share of the work
                ObjectNode chunk = wire.chunk(model).put("done", false);
                if (chat) {
                    chunk.putObject("message").put("role", "assistant").put("content", token);
                } else {
                    chunk.put("response", token);
                }
                wire.line(exchange, chunk);
            }
            ObjectNode done = wire.done(wire.chunk(model), start, lease.loadNanos());
            if (chat) {
                done.putObject("message").put("role", "assistant").put("content", "");
            } else {
                done.put("response", "");
            }
            wire.line(exchange, done);
        } finally {
            memory.release(lease);
        }
    }

    private void embed(HttpExchange exchange, JsonNode body, String model)
            throws IOException, InterruptedException, FakeWire.BadRequest {
        List<String> inputs = new ArrayList<>();
        JsonNode input = body.path("input");
        if (input.isArray()) {
            for (JsonNode entry : input) {
                if (!entry.isTextual()) {
                    throw new FakeWire.BadRequest("invalid input type");
                }
                inputs.add(entry.asText());
            }
        } else if (input.isTextual()) {
            if (!input.asText().isEmpty()) {
                inputs.add(input.asText());
            }
        } else if (!input.isMissingNode() && !input.isNull()) {
            throw new FakeWire.BadRequest("invalid input type");
        }
        long start = System.nanoTime();
        Lease lease = memory.acquire(FakeWire.canonical(model), body.path("options"),
                FakeWire.keepAlive(body.get("keep_alive")));
        try {
            embedBatchSizes.add(inputs.size());
            for (String text : inputs) {
                if (refusedInputs.contains(text)) { // one input's error fails the whole request
                    wire.send(exchange, 400, wire.error("the input length exceeds the context length"));
                    return;
                }
            }
            ObjectNode answer = wire.object().put("model", model);
            ArrayNode embeddings = answer.putArray("embeddings");
            for (String text : inputs) {
                embeddings.addArray().add(text.length()).add(0.5).add(-0.25);
            }
            answer.put("total_duration", System.nanoTime() - start).put("load_duration", lease.loadNanos())
                    .put("prompt_eval_count", inputs.size());
            wire.send(exchange, 200, answer);
        } finally {
            memory.release(lease);
        }
    }

    private void ps(HttpExchange exchange) throws IOException {
        ObjectNode answer = wire.object();
        ArrayNode list = answer.putArray("models");
        for (FakeModelMemory.Loaded model : memory.loadedModels()) {
            list.addObject().put("name", model.name()).put("model", model.name())
                    .put("size", 5_000_000_000L).put("size_vram", 4_000_000_000L)
                    .put("digest", "sha256:0").put("expires_at", model.expiresAt() == null
                            ? "2318-08-29T05:31:14.812941856Z"
                            : OffsetDateTime.ofInstant(model.expiresAt(), ZoneOffset.ofHours(-7)).toString());
        }
        wire.send(exchange, 200, answer);
    }
}

package ai.batch.queue.openai;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenAI-compatible server for tests, on 127.0.0.1: {@code /v1/chat/completions}, {@code /v1/embeddings}
 * (batched, answered in reverse order with {@code index}), {@code /v1/models}, and optionally llama.cpp's router
 * endpoints at the root ({@code GET /models} with a status per model, {@code POST /models/load|unload}) with a
 * capacity, LRU eviction and a load count. Some model names misbehave on purpose:
 * <ul>
 * <li>{@code error-openai} 400 OpenAI shape; {@code error-llama} 404 llama.cpp shape; {@code error-plain} 403
 * {@code {"error":"…"}}; {@code error-detail} 404 FastAPI {@code {"detail":"…"}};</li>
 * <li>{@code busy} 429 with {@code Retry-After: 7}; {@code overloaded} 503 with an HTTP-date Retry-After;
 * {@code gateway} 502; {@code gateway-timeout} 504; {@code broken} 500;</li>
 * <li>{@code slow} headers at once, then the body stalls; {@code stalled} no answer at all;</li>
 * <li>{@code huge} a body past any small limit ({@code huge-chunked} without a length); {@code malformed} 200 with broken JSON;</li>
 * <li>{@code echo-key} 401 echoing the Authorization header it got, as some servers do;
 * {@code echo-key-at-N} 400 whose error message is N characters of padding, then the key it got (to put the key
 * across a cut); {@code echo-key-output} 200 whose answer repeats the Authorization header;</li>
 * <li>{@code retry-after-N} 429 with {@code Retry-After: N};</li>
 * <li>{@code refuse} 200 with a {@code refusal} instead of {@code content};</li>
 * <li>on a router, {@code echo-fail…} fails its load, its status listing the command line with the key it got;
 * with {@link #echoKeyInModelList()}, {@code GET /v1/models} lists a model named after the key.</li>
 * </ul>
 * Stalled answers wait for {@link #close()}, so no test depends on a sleep.
 */
final class FakeOpenAiServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it. */
    record Request(String method, String path, String authorization, JsonNode body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "fake-openai-server");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> models;
    private final boolean router;
    private final int capacity;
    private final Map<String, String> status = new LinkedHashMap<>();
    private final LinkedHashSet<String> recentlyUsed = new LinkedHashSet<>();
    private final AtomicInteger loads = new AtomicInteger();
    private volatile String requiredKey;
    private volatile boolean echoKeyInModelList;
    private final Map<String, String> failedWithKey = new LinkedHashMap<>();

    private FakeOpenAiServer(int port, List<String> models, boolean router, int capacity) throws IOException {
        this.models = List.copyOf(models);
        this.router = router;
        this.capacity = capacity;
        models.forEach(model -> status.put(model, "unloaded"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A plain OpenAI-compatible server (vLLM, LM Studio, llama.cpp with one model). */
    static FakeOpenAiServer plain(String... models) throws IOException {
        return new FakeOpenAiServer(0, List.of(models), false, 0);
    }

    /** A llama.cpp server in router mode holding at most {@code capacity} models. */
    static FakeOpenAiServer router(int capacity, String... models) throws IOException {
        return new FakeOpenAiServer(0, List.of(models), true, capacity);
    }

    /** A router on a given port, e.g. one that starts after the handler. */
    static FakeOpenAiServer routerOn(int port, int capacity, String... models) throws IOException {
        return new FakeOpenAiServer(port, List.of(models), true, capacity);
    }

    /** A plain server on a given port, e.g. one that comes back where another went away. */
    static FakeOpenAiServer plainOn(int port, String... models) throws IOException {
        return new FakeOpenAiServer(port, List.of(models), false, 0);
    }

    FakeOpenAiServer requireKey(String key) {
        requiredKey = key;
        return this;
    }

    /** {@code GET /v1/models} also lists a model whose id holds the Authorization header it got. */
    FakeOpenAiServer echoKeyInModelList() {
        echoKeyInModelList = true;
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    List<Request> requests() {
        return requests;
    }

    List<Request> requests(String path) {
        return requests.stream().filter(request -> request.path().equals(path)).toList();
    }

    int loads() {
        return loads.get();
    }

    synchronized List<String> loaded() {
        return status.entrySet().stream().filter(e -> e.getValue().equals("loaded")).map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(exchange.getRequestMethod(), path, authorization, body));
            if (requiredKey != null && !("Bearer " + requiredKey).equals(authorization)) {
                send(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":"
                        + "\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
                return;
            }
            switch (exchange.getRequestMethod() + " " + path) {
                case "GET /v1/models" -> send(exchange, 200, echoKeyInModelList
                        ? modelList(false).replace("]}", ",{\"id\":\"proxy of " + authorization + "\"}]}")
                        : modelList(false));
                case "GET /models" -> {
                    if (router) {
                        send(exchange, 200, modelList(true));
                    } else {
                        send(exchange, 404, "{\"error\":{\"code\":404,\"message\":\"File Not Found\","
                                + "\"type\":\"not_found_error\"}}");
                    }
                }
                case "POST /models/load" -> routerCall(exchange, body, true, authorization);
                case "POST /models/unload" -> routerCall(exchange, body, false, authorization);
                case "POST /v1/chat/completions" -> chat(exchange, body);
                case "POST /v1/embeddings" -> embeddings(exchange, body);
                default -> send(exchange, 404, "{\"detail\":\"Not Found\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away, as the timeout tests make it do
        }
    }

    private synchronized String modelList(boolean withStatus) {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String model : models) {
            ObjectNode entry = data.addObject().put("id", model).put("object", "model").put("owned_by", "llamacpp");
            if (withStatus) {
                String now = status.get(model);
                ObjectNode state = entry.putObject("status").put("value", now);
                ArrayNode args = state.putArray("args").add("--ctx-size").add("4096");
                if (now.equals("failed")) {
                    // llama.cpp lists the failed instance's command line, which may carry the key it was given
                    state.put("failed", true).put("exit_code", 1);
                    args.add("--api-key").add(failedWithKey.get(model));
                }
                if (now.equals("loading")) {
                    status.put(model, "loaded"); // a load finishes by the next look at the list
                }
            }
        }
        return root.toString();
    }

    private void routerCall(HttpExchange exchange, JsonNode body, boolean load, String authorization)
            throws IOException {
        if (!router) {
            send(exchange, 404, "{\"error\":{\"code\":404,\"message\":\"File Not Found\",\"type\":\"not_found_error\"}}");
            return;
        }
        String model = body == null ? null : body.path("model").asText(null);
        synchronized (this) {
            if (model == null || !status.containsKey(model)) {
                send(exchange, 400, "{\"error\":{\"code\":400,\"message\":\"model not found\",\"type\":"
                        + "\"invalid_request_error\"}}");
                return;
            }
            if (load && model.startsWith("echo-fail")) {
                status.put(model, "failed");
                failedWithKey.put(model, String.valueOf(authorization).replace("Bearer ", ""));
            } else if (load) {
                loads.incrementAndGet();
                status.put(model, "loading");
                recentlyUsed.remove(model);
                recentlyUsed.add(model);
                while (recentlyUsed.size() > capacity) {
                    String evicted = recentlyUsed.iterator().next();
                    recentlyUsed.remove(evicted);
                    status.put(evicted, "unloaded");
                }
            } else {
                status.put(model, "unloaded");
                recentlyUsed.remove(model);
            }
        }
        send(exchange, 200, "{\"success\":true}");
    }

    private void chat(HttpExchange exchange, JsonNode body) throws IOException, InterruptedException {
        String model = body.path("model").asText();
        if (misbehave(exchange, model)) {
            return;
        }
        JsonNode messages = body.path("messages");
        JsonNode content = messages.get(messages.size() - 1).path("content");
        String text;
        int images = 0;
        if (content.isArray()) {
            StringBuilder parts = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("type").asText().equals("text")) {
                    parts.append(part.path("text").asText());
                } else if (part.path("image_url").path("url").asText().startsWith("data:image/")) {
                    images++;
                }
            }
            text = parts.toString();
        } else {
            text = content.asText();
        }
        ObjectNode answer = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
                .put("model", model);
        answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("message")
                .put("role", "assistant").put("content", "echo: " + text + (images > 0 ? " [" + images + " images]" : ""));
        send(exchange, 200, answer.toString());
    }

    private void embeddings(HttpExchange exchange, JsonNode body) throws IOException, InterruptedException {
        String model = body.path("model").asText();
        if (misbehave(exchange, model)) {
            return;
        }
        JsonNode input = body.path("input");
        List<String> texts = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(node -> texts.add(node.asText()));
        } else {
            texts.add(input.asText());
        }
        ObjectNode answer = JSON.createObjectNode().put("object", "list").put("model", model);
        ArrayNode data = answer.putArray("data");
        for (int i = texts.size() - 1; i >= 0; i--) {
            data.addObject().put("object", "embedding").put("index", i).set("embedding", vector(texts.get(i)));
        }
        send(exchange, 200, answer.toString());
    }

    /** A vector that depends on the text only, as a real model's would. */
    static ArrayNode vector(String text) {
        ArrayNode vector = JSON.createArrayNode();
        int hash = text.hashCode();
        vector.add(text.length() / 100.0).add((hash & 0xFF) / 256.0).add(((hash >> 8) & 0xFF) / 256.0);
        return vector;
    }

    private boolean misbehave(HttpExchange exchange, String model) throws IOException, InterruptedException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (model.startsWith("echo-key-at-")) {
            String padding = "x".repeat(Integer.parseInt(model.substring("echo-key-at-".length())));
            send(exchange, 400, JSON.createObjectNode().set("error", JSON.createObjectNode().put("message",
                    padding + String.valueOf(authorization).replace("Bearer ", ""))).toString());
            return true;
        }
        if (model.startsWith("retry-after-")) {
            exchange.getResponseHeaders().add("Retry-After", model.substring("retry-after-".length()));
            send(exchange, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}");
            return true;
        }
        switch (model) {
            case "error-openai" -> send(exchange, 400, "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":"
                    + "\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":null}}");
            case "error-llama" -> send(exchange, 404, "{\"error\":{\"code\":404,\"message\":\"model 'error-llama' "
                    + "not found\",\"type\":\"not_found_error\"}}");
            case "error-plain" -> send(exchange, 403, "{\"error\":\"forbidden for this project\"}");
            case "error-detail" -> send(exchange, 404, "{\"detail\":\"The model `error-detail` does not exist.\"}");
            case "busy" -> {
                exchange.getResponseHeaders().add("Retry-After", "7");
                send(exchange, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                        + "\"code\":\"rate_limit_exceeded\"}}");
            }
            case "overloaded" -> {
                exchange.getResponseHeaders().add("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120)));
                send(exchange, 503, "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":"
                        + "\"unavailable_error\"}}");
            }
            case "gateway" -> send(exchange, 502, "<html>Bad Gateway</html>");
            case "gateway-timeout" -> send(exchange, 504, "");
            case "broken" -> send(exchange, 500, "{\"error\":{\"code\":500,\"message\":\"context overflow\","
                    + "\"type\":\"server_error\"}}");
            case "echo-key-output" -> send(exchange, 200, JSON.createObjectNode().set("choices", JSON.createArrayNode()
                    .add(JSON.createObjectNode().set("message", JSON.createObjectNode().put("role", "assistant")
                            .put("content", "You sent " + authorization)))).toString());
            case "refuse" -> send(exchange, 200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":null,\"refusal\":\"I'm sorry, I cannot help with that.\"},"
                    + "\"finish_reason\":\"stop\"}]}");
            case "malformed" -> send(exchange, 200, "{\"choices\": [ {\"message\": ");
            case "huge" -> send(exchange, 200, huge());
            case "huge-chunked" -> {
                exchange.sendResponseHeaders(200, 0); // no Content-Length: the limit must hold while reading
                exchange.getResponseBody().write(huge().getBytes(StandardCharsets.UTF_8));
            }
            case "echo-key" -> send(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key provided: "
                    + exchange.getRequestHeaders().getFirst("Authorization") + "\",\"type\":"
                    + "\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
            case "slow" -> {
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write("{\"choices\":[".getBytes(StandardCharsets.UTF_8));
                out.flush();
                released.await(30, TimeUnit.SECONDS);
            }
            case "stalled" -> released.await(30, TimeUnit.SECONDS);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static String huge() {
        StringBuilder text = new StringBuilder(70_000);
        while (text.length() < 70_000) {
            text.append("lorem ipsum ");
        }
        return "{\"choices\":[{\"message\":{\"content\":\"" + text + "\"}}]}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}

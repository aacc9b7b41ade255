package ai.batch.queue.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Just enough of Ollama's API for an integration test, on the JDK's HTTP server inside the framework: a streamed
 * {@code /api/generate} that echoes the prompt (the prompt {@code untilPreload} answers only once another model's
 * load has arrived, or after 10 s), a load for an empty prompt, an unload for {@code keep_alive: 0}, and {@code /api/ps} listing what is loaded. The bundle's own tests
 * use a complete fake; this one checks the wiring in OSGi.
 */
final class OllamaStub implements AutoCloseable {

    private static final Pattern PROMPT = Pattern.compile("\"prompt\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpServer server;
    private static final Pattern UNLOAD = Pattern.compile("\"keep_alive\"\\s*:\\s*0\\b");

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final Set<String> loaded = new CopyOnWriteArraySet<>();
    private final CountDownLatch preloadArrived = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    OllamaStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/generate", this::generate);
        server.createContext("/api/ps", this::ps);
        server.setExecutor(threads); // a waiting answer must not hold up the others
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> bodies() {
        return List.copyOf(bodies);
    }

    Set<String> loadedModels() {
        return Set.copyOf(loaded);
    }

    private void generate(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            Matcher modelName = MODEL.matcher(body);
            String model = modelName.find() ? modelName.group(1) : null;
            if (UNLOAD.matcher(body).find()) {
                loaded.remove(model);
            } else if (model != null) {
                loaded.add(model);
            }
            Matcher prompt = PROMPT.matcher(body);
            boolean hasPrompt = prompt.find();
            if (!hasPrompt && !UNLOAD.matcher(body).find()) {
                preloadArrived.countDown(); // a load ahead of the model's first item
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            if (hasPrompt) {
                if (prompt.group(1).equals("untilPreload")) {
                    awaitPreload();
                }
                write(out, "{\"model\":\"" + model + "\",\"response\":\"You said: \",\"done\":false}");
                write(out, "{\"model\":\"" + model + "\",\"response\":\"" + prompt.group(1) + "\",\"done\":false}");
            }
            write(out, "{\"model\":\"" + model + "\",\"response\":\"\",\"done\":true,\"load_duration\":1000000,"
                    + "\"total_duration\":2000000}");
        }
    }

    private void awaitPreload() {
        try {
            preloadArrived.await(10, TimeUnit.SECONDS); // the test then sees that no preload came
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ps(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<String> entries = new ArrayList<>();
            loaded.forEach(model -> entries.add("{\"name\":\"" + model + "\",\"size\":1000,\"size_vram\":1000,"
                    + "\"expires_at\":\"2030-01-01T00:00:00Z\"}"));
            String models = String.join(",", entries);
            byte[] body = ("{\"models\":[" + models + "]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}

package ai.batch.queue.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Just enough of Ollama's API for an integration test, on the JDK's HTTP server inside the framework: a streamed
 * {@code /api/generate} that echoes the prompt, a load for an empty prompt, and {@code /api/ps}. The bundle's own
 * tests use a complete fake; this one checks the wiring in OSGi.
 */
final class OllamaStub implements AutoCloseable {

    private static final Pattern PROMPT = Pattern.compile("\"prompt\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile String loaded;

    OllamaStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/generate", this::generate);
        server.createContext("/api/ps", this::ps);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> bodies() {
        return List.copyOf(bodies);
    }

    private void generate(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            Matcher model = MODEL.matcher(body);
            loaded = model.find() ? model.group(1) : null;
            Matcher prompt = PROMPT.matcher(body);
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            if (prompt.find()) {
                write(out, "{\"model\":\"" + loaded + "\",\"response\":\"You said: \",\"done\":false}");
                write(out, "{\"model\":\"" + loaded + "\",\"response\":\"" + prompt.group(1) + "\",\"done\":false}");
            }
            write(out, "{\"model\":\"" + loaded + "\",\"response\":\"\",\"done\":true,\"load_duration\":1000000,"
                    + "\"total_duration\":2000000}");
        }
    }

    private void ps(HttpExchange exchange) throws IOException {
        try (exchange) {
            String models = loaded == null ? "" : "{\"name\":\"" + loaded + "\",\"size\":1000,\"size_vram\":1000,"
                    + "\"expires_at\":\"2030-01-01T00:00:00Z\"}";
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
    }
}

package ai.batch.queue.ollama;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * What the fake Ollama reads and writes the way Ollama does: model names ({@code name} means
 * {@code name:latest}, compared case-insensitively), {@code keep_alive} ({@code api.Duration}'s JSON rules: a
 * number is seconds, a string is a Go duration, negative is forever) and the JSON on the wire.
 */
final class FakeWire {

    /** A request Ollama refuses while reading it; the message is Go's. */
    static final class BadRequest extends Exception {

        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    private static final Map<String, Long> UNITS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L,
            "\u03bcs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private final ObjectMapper json = new ObjectMapper();

    /** Ollama's name of a model: lower case here, and {@code :latest} when no tag is given. */
    static String canonical(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        return name.indexOf(':', slash + 1) < 0 ? name + ":latest" : name;
    }

    /**
     * The keep_alive of a request: null when it gave none; negative means forever.
     *
     * @throws BadRequest as Ollama answers 400 for a string that is not a Go duration
     */
    static Duration keepAlive(JsonNode value) throws BadRequest {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            double seconds = value.asDouble();
            return seconds < 0 ? Duration.ofSeconds(-1) : Duration.ofNanos((long) (seconds * 1e9));
        }
        if (!value.isTextual()) {
            throw new BadRequest("Unsupported type: '" + value.getNodeType() + "'");
        }
        Duration duration = goDuration(value.asText());
        return duration.isNegative() ? Duration.ofSeconds(-1) : duration;
    }

    /** Go's {@code time.ParseDuration}: {@code [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+}, or a bare 0. */
    static Duration goDuration(String text) throws BadRequest {
        String quoted = "\"" + text + "\"";
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new BadRequest("time: invalid duration " + quoted);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw new BadRequest("time: invalid duration " + quoted);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new BadRequest("time: missing unit in duration " + quoted);
            }
            Long scale = UNITS.get(unit);
            if (scale == null) {
                throw new BadRequest("time: unknown unit \"" + unit + "\" in duration " + quoted);
            }
            String digits = number.startsWith(".") ? "0" + number : number.endsWith(".") ? number + "0" : number;
            nanos = nanos.add(new BigDecimal(digits).multiply(BigDecimal.valueOf(scale)));
        }
        long value = nanos.longValue();
        return Duration.ofNanos(negative ? -value : value);
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    JsonNode read(byte[] bytes) throws IOException {
        return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
    }

    ObjectNode chunk(String model) {
        return json.createObjectNode().put("model", model).put("created_at", Instant.now().toString());
    }

    ObjectNode done(ObjectNode chunk, long start, long loadNanos) {
        return chunk.put("done", true).put("done_reason", "stop").put("total_duration", System.nanoTime() - start)
                .put("load_duration", loadNanos).put("prompt_eval_count", 12).put("eval_count", 20);
    }

    ObjectNode error(String message) {
        return json.createObjectNode().put("error", message);
    }

    /** The answer in tokens of up to five characters. */
    static List<String> tokens(String text) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 5) {
            parts.add(text.substring(i, Math.min(text.length(), i + 5)));
        }
        return parts;
    }

    /** One NDJSON line, flushed; the first one sends the headers, as Go's writer does. */
    void line(HttpExchange exchange, JsonNode node) throws IOException {
        if (exchange.getResponseCode() < 0) {
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
        }
        OutputStream out = exchange.getResponseBody();
        out.write(json.writeValueAsBytes(node));
        out.write('\n');
        out.flush();
    }

    void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

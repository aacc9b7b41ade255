package ai.batch.queue.ollama;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;

import ai.batch.queue.ollama.FakeOllama.Trouble;

/** The fake Ollama's scripted failures: an error status instead of the answer, or an answer that goes wrong. */
final class FakeTroubles {

    private final FakeWire wire;
    private final CountDownLatch stopped;

    FakeTroubles(FakeWire wire, CountDownLatch stopped) {
        this.wire = wire;
        this.stopped = stopped;
    }

    /** @return whether the trouble was the answer (an error status); false for one that happens in the answer */
    boolean before(HttpExchange exchange, Trouble trouble, String retryAfter) throws IOException {
        switch (trouble) {
            case BUSY_503 -> wire.send(exchange, 503, wire.error("server busy, please try again.  maximum pending "
                    + "requests exceeded"));
            case PROXY_503 -> {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
                wire.send(exchange, 503, wire.error("upstream unavailable"));
            }
            case TOO_MANY_429 -> {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
                wire.send(exchange, 429, wire.error("too many requests"));
            }
            case TIMEOUT_408 -> wire.send(exchange, 408, wire.error("request timeout"));
            case BAD_REQUEST_400 -> wire.send(exchange, 400, wire.error("invalid options: num_ctx must be a number"));
            default -> {
                return false;
            }
        }
        return true;
    }

    void inAnswer(HttpExchange exchange, String model, Trouble trouble)
            throws IOException, InterruptedException {
        switch (trouble) {
            case MID_STREAM_ERROR -> {
                wire.line(exchange, wire.chunk(model).put("response", "The ").put("done", false));
                wire.line(exchange, wire.error("an error was encountered while running the model: CUDA error: out "
                        + "of memory"));
            }
            case MALFORMED -> {
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write("{\"model\": \"x\", \"response\": \n".getBytes(StandardCharsets.UTF_8));
            }
            case HUGE -> {
                String words = "word ".repeat(200);
                for (int i = 0; i < 200; i++) {
                    wire.line(exchange, wire.chunk(model).put("response", words).put("done", false));
                }
            }
            case STALL -> {
                wire.line(exchange, wire.chunk(model).put("response", "Thinking").put("done", false));
                stopped.await(30, TimeUnit.SECONDS);
            }
            case CUT_SHORT -> wire.line(exchange, wire.chunk(model).put("response", "Half an ans").put("done", false));
            default -> throw new IllegalStateException(trouble.name());
        }
    }
}

package ai.batch.queue.benchmarks.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import ai.batch.queue.benchmarks.support.Deadline;

/**
 * Reads the dashboard's event stream the way a browser's {@code EventSource} does: one long HTTP/1.1 response,
 * read line by line on a thread of its own as soon as bytes arrive, counting the {@code event:} lines (one per
 * frame).
 */
final class StreamViewer implements Viewer {

    private final InputStream body;
    private final Thread reader;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closing;

    private StreamViewer(InputStream body) {
        this.body = body;
        this.reader = new Thread(this::read, "dashboard-stream-viewer");
        reader.setDaemon(true);
    }

    static StreamViewer open(URI page) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(page + "/api/events"))
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while opening " + request.uri(), e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
        }
        StreamViewer viewer = new StreamViewer(response.body());
        viewer.reader.start();
        Deadline.until(() -> viewer.frames.get() > 0 || viewer.failure.get() != null, Deadline.STARTUP,
                () -> "no frame from " + request.uri());
        viewer.requireLive(0);
        return viewer;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("event:")) {
                    frames.incrementAndGet();
                }
            }
            if (!closing) {
                failure.set(new IllegalStateException("the dashboard ended the event stream"));
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                failure.set(e);
            }
        }
    }

    @Override
    public long framesReceived() {
        return frames.get();
    }

    @Override
    public void requireLive(long framesBefore) {
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("The stream viewer lost the stream: " + error, error);
        }
        if (frames.get() <= framesBefore) {
            throw new IllegalStateException("The stream viewer received no frame (" + frames.get() + " in all)");
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            body.close();
        } catch (IOException e) {
            // closing anyway
        }
        reader.interrupt();
    }
}

package ai.batch.queue.itests;

import static org.junit.Assert.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's event stream as a test reads it: frames ({@code [id, event, data]}) read on a thread of its own,
 * so that reads can have deadlines.
 */
final class EventStream implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final InputStream in;
    private final BlockingQueue<String[]> frames = new LinkedBlockingQueue<>();
    private final Thread reader;

    EventStream(InputStream in) {
        this.in = in;
        this.reader = new Thread(this::read, "dashboard-it-sse");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            String data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.isEmpty() && data != null) {
                    frames.add(new String[] {id, event, data});
                    id = null;
                    event = null;
                    data = null;
                }
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    String[] next() throws InterruptedException {
        String[] frame = frames.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertNotNull("a frame within " + DEADLINE, frame);
        return frame;
    }

    String[] nextContaining(String text) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            String[] frame = frames.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull("a frame with " + text + " within " + DEADLINE, frame);
            if (frame[2].contains(text)) {
                return frame;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
        reader.interrupt();
    }
}

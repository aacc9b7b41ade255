package ai.batch.queue.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The demo jar in a JVM of its own; its standard input stays open until {@link #close()}. */
final class DemoProcess implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern URL_LINE = Pattern.compile("Dashboard \\(([^)]*)\\): (http://127\\.0\\.0\\.1:\\d+/batch)");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** The dashboard URL the demo printed, once {@link #awaitUrl()} returned. */
    String url;
    /** {@code read-only} or {@code actions enabled}, as printed. */
    String mode;

    DemoProcess(String... args) throws IOException {
        File jar = new File(System.getProperty("demo.jar"));
        assertTrue(jar.isFile(), "the demo jar is built: " + jar);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.getPath()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "demo-output");
        reader.setDaemon(true);
        reader.start();
    }

    void awaitUrl() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                Matcher matcher = URL_LINE.matcher(line);
                if (matcher.find()) {
                    mode = matcher.group(1).replace(", this machine only", "");
                    url = matcher.group(2);
                    return;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            synchronized (this) {
                wait(50); // polls the output with a deadline
            }
        }
        throw new AssertionError("the demo printed no dashboard URL:\n" + String.join("\n", lines));
    }

    boolean finished() {
        return lines.stream().anyMatch(line -> line.startsWith("Model loads for the batch:"));
    }

    @Override
    public void close() throws Exception {
        try {
            process.getOutputStream().close(); // --keep-running ends at the end of its input
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                System.err.println("the demo did not stop at the end of its input:\n" + String.join("\n", lines));
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

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
import java.util.Map;
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
        this(List.of(), Map.of(), args);
    }

    /**
     * @param jvmOptions options for the demo's JVM, e.g. {@code -Dfile.encoding=ANSI_X3.4-1968}
     * @param environment variables set for it, e.g. {@code LANG=C}
     * @param args the demo's arguments
     */
    DemoProcess(List<String> jvmOptions, Map<String, String> environment, String... args) throws IOException {
        File jar = new File(System.getProperty("demo.jar"));
        assertTrue(jar.isFile(), "the demo jar is built: " + jar);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.getPath()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
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

    /** Types a line into the demo's standard input (its Gogo shell with {@code --shell}), in UTF-8. */
    void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Waits for an output line containing the text (read as UTF-8), and returns it. */
    String awaitLine(String text) throws InterruptedException {
        return awaitLine(text, 1);
    }

    /** Waits for the {@code nth} output line containing the text (read as UTF-8), and returns it. */
    String awaitLine(String text, int nth) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int seen = 0;
            for (String line : lines) {
                if (line.contains(text) && ++seen == nth) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            synchronized (this) {
                wait(50); // polls the output with a deadline
            }
        }
        throw new AssertionError("the demo printed no line with '" + text + "':\n" + String.join("\n", lines));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    long pid() {
        return process.pid();
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

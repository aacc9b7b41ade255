package ai.batch.queue.benchmarks.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a memory probe ({@link MemoryProbe}, or the dashboard's) in a fresh JVM (same java, same class path) and
 * reads its results.
 */
public final class MemoryCase {

    /** The heap of the probe JVM: fixed, so that the heap does not resize between readings. */
    public static final String HEAP = "-Xmx2g";

    private MemoryCase() {
    }

    /**
     * @param items total items to enqueue
     * @param jobs how many jobs they are split into
     * @return the probe's {@code key=value} results
     * @throws IllegalStateException if the probe fails or times out
     */
    public static Map<String, Double> measure(int items, int jobs) {
        return run(MemoryProbe.class, List.of(), Integer.toString(items), Integer.toString(jobs));
    }

    /**
     * Runs a probe in a fresh JVM with the fixed heap and the serial collector.
     *
     * @param probe the probe's main class, which prints {@code key=value} lines
     * @param jvmOptions further JVM options, e.g. system properties
     * @param args the probe's arguments
     * @return the probe's {@code key=value} results
     * @throws IllegalStateException if the probe fails or times out
     */
    public static Map<String, Double> run(Class<?> probe, List<String> jvmOptions, String... args) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, HEAP, "-Xms2g", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), probe.getName()));
        command.addAll(List.of(args));
        Map<String, Double> results = new LinkedHashMap<>();
        StringBuilder output = new StringBuilder();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.append(line).append('\n');
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        try {
                            results.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
                        } catch (NumberFormatException notAResult) {
                            // a JVM warning; kept in the output for the error message
                        }
                    }
                }
            }
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(probe.getSimpleName() + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + probe.getSimpleName() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while measuring memory", e);
        }
        return results;
    }
}

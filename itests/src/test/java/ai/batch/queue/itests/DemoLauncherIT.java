package ai.batch.queue.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Runs the built demo distribution (embedded Felix) as a user would, in a separate JVM. */
class DemoLauncherIT {

    private static final long TIMEOUT_SECONDS = 120;

    private record Run(int exitCode, String output) {
    }

    private static Run demo(String... args) throws IOException, InterruptedException {
        File jar = new File(System.getProperty("demo.jar"));
        assertTrue(jar.isFile(), "the demo jar is built: " + jar);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.getPath()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("demo", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the demo did not finish within " + TIMEOUT_SECONDS + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void demoRunsTheMixedBatchWithFewerModelLoadsAndExitsCleanly() throws Exception {
        Run run = demo("--speed", "10", "--scale", "0.5");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("^ planner: llava:13b caption moves up."), run.output());
        assertTrue(run.output().contains("> loading model moondream (unloading llava:13b): no more queued jobs for "
                + "'llava:13b'"), run.output());
        assertTrue(run.output().contains("Model loads for the batch: 3 with the planner, 6 in enqueue order: 3 saved."),
                run.output());
        assertTrue(run.output().matches("(?s).*Dashboard \\(read-only, this machine only\\): "
                + "http://127\\.0\\.0\\.1:[0-9]+/batch\n.*"), run.output());
    }

    @Test
    void examplesRunAndBadFlagsFailWithUsage() throws Exception {
        Run optimization = demo("--example", "model-optimization", "--speed", "10", "--no-web");
        assertEquals(0, optimization.exitCode(), optimization.output());
        assertFalse(optimization.output().contains("Dashboard"), optimization.output());
        assertTrue(optimization.output().contains("Model loads: 2 (enqueue order would need 3)."),
                optimization.output());

        Run steering = demo("--example", "basic-batch", "--speed", "10", "--web-actions");
        assertEquals(0, steering.exitCode(), steering.output());
        assertTrue(steering.output().contains("Dashboard (actions enabled, this machine only): http://127.0.0.1:"),
                steering.output());

        Run bad = demo("--speed", "fast");
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("--speed needs a number, got 'fast'"), bad.output());
        assertTrue(bad.output().contains("Usage:"), bad.output());
    }

    @Test
    void realModelsExampleDetectsLanguagesAndFindsNeighbours() throws Exception {
        Run run = demo("--example", "real-models");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("* opennlp-langdetect  detect completed: 320 ok, 0 failed"), run.output());
        assertTrue(run.output().contains("* all-minilm-l6-v2    embed  completed: 320 ok, 0 failed"), run.output());
        assertTrue(run.output().contains("  eng  eng 80"), run.output());
        // the nearest neighbour of the cat sentence is another sentence about a cat
        String neighbours = run.output().substring(run.output().indexOf("\"The cat is sleeping"));
        String nearest = neighbours.lines().skip(1).findFirst().orElse("");
        assertTrue(nearest.matches("    0\\.\\d{3}  .*\\b(cat|kitten)\\b.*"), run.output());
    }
}

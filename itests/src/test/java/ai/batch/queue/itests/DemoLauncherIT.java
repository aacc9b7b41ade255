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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Runs the built demo distribution (embedded Felix) as a user would, in a separate JVM. */
class DemoLauncherIT {

    private static final long TIMEOUT_SECONDS = 120;

    private record Run(int exitCode, String output) {
    }

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static File jar() {
        File jar = new File(System.getProperty("demo.jar"));
        assertTrue(jar.isFile(), "the demo jar is built: " + jar);
        return jar;
    }

    private static Run demo(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().getPath()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
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
        // a line longer than 80 columns continues on the next, indented
        assertTrue(run.output().replaceAll("\n +", " ").contains("> loading model moondream (unloading llava:13b): "
                + "no more queued jobs for 'llava:13b'"), run.output());
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
    void slotsExampleSpreadsTheWorkAndLoadsEachModelOnFewServers() throws Exception {
        Run run = demo("--example", "slots", "--speed", "10", "--no-web");
        assertEquals(0, run.exitCode(), run.output());
        java.util.regex.Matcher loads = java.util.regex.Pattern.compile("Model loads: (\\d+) in all")
                .matcher(run.output());
        assertTrue(loads.find(), run.output());
        assertTrue(Integer.parseInt(loads.group(1)) <= 8, "at most models + slots loads: " + run.output());
        for (String slot : new String[] {"gpu-1", "gpu-2", "gpu-3"}) {
            java.util.regex.Matcher line = java.util.regex.Pattern.compile("\n  " + slot + " +(\\d+) items")
                    .matcher(run.output());
            assertTrue(line.find(), run.output());
            assertTrue(Integer.parseInt(line.group(1)) > 0, slot + " ran items: " + run.output());
        }
    }

    @Test
    void realModelsExampleDetectsLanguagesAndFindsNeighbours() throws Exception {
        Run run = demo("--example", "real-models");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("* opennlp-langdetect  detect completed: 320 ok, 0 failed"), run.output());
        assertTrue(run.output().contains("* all-minilm-l6-v2    embed  completed: 320 ok, 0 failed"), run.output());
        assertTrue(run.output().contains("  eng  eng 80"), run.output());
        // each model's load is timed on its own, not hidden in its first items
        assertTrue(run.output().matches("(?s).*\n  opennlp-langdetect  loaded in \\d+ ms\n.*"), run.output());
        assertTrue(run.output().matches("(?s).*\n  all-minilm-l6-v2    loaded in \\d+ ms\n.*"), run.output());
        assertTrue(run.output().matches("(?s).*\n  all-minilm-l6-v2    load \\d+ ms \\(above\\); first item \\d+ ms.*"),
                run.output());
        // the nearest neighbour of the cat sentence is another sentence about a cat
        String neighbours = run.output().substring(run.output().indexOf("\"The cat is sleeping"));
        String nearest = neighbours.lines().skip(1).findFirst().orElse("");
        assertTrue(nearest.matches("    0\\.\\d{3}  .*\\b(cat|kitten)\\b.*"), run.output());
    }

    @Test
    void helpListsEveryFlagWithItsDefaultUnderTheNameItWasStartedBy() throws Exception {
        // the ./demo script at the repository root, as the README has it (the jar exists, so it builds nothing)
        Path script = jar().toPath().toAbsolutePath().normalize().getParent().getParent().getParent().getParent()
                .resolve("demo");
        Run viaScript = run(List.of("bash", script.toString(), "--help"));
        assertEquals(0, viaScript.exitCode(), viaScript.output());
        assertTrue(viaScript.output().startsWith("Usage: " + script + " [options]\n"), viaScript.output());
        String joined = viaScript.output().replaceAll("\n {3,}", " ");
        for (String flag : List.of("--speed <factor>", "--scale <factor>", "--failure-rate <share>",
                "--example <name>", "--shell", "--no-web", "--web-actions", "--keep-running", "--help")) {
            Matcher line = Pattern.compile("(?m)^  " + Pattern.quote(flag) + " .*\\(default: [^)]+\\)$").matcher(joined);
            assertTrue(line.find(), flag + " with its default:\n" + viaScript.output());
        }
        assertTrue(viaScript.output().lines().allMatch(line -> line.length() <= 80), viaScript.output());

        Run direct = demo("--help");
        assertTrue(direct.output().startsWith("Usage: java -jar " + jar().getPath() + " [options]\n"), direct.output());
    }

    @Test
    void pipedOutputIsPlainTextThatSaysWhyItemsFailedOrWereSkipped() throws Exception {
        Run run = demo("--speed", "10", "--scale", "0.5", "--failure-rate", "0.3", "--no-web");
        assertEquals(0, run.exitCode(), run.output());
        assertFalse(run.output().contains("\u001b"), "no escape sequence in a pipe:\n" + run.output());
        assertTrue(run.output().lines().allMatch(line -> line.length() <= 80), run.output());
        assertFalse(UUID.matcher(run.output()).find(), "job ids are shortened:\n" + run.output());
        String unwrapped = run.output().replaceAll("\n +", " ");
        assertTrue(unwrapped.matches("(?s).*\\(job [0-9a-f]{8}, queued earlier\\).*"), run.output());
        // one reason line per failed item, as many as the jobs' ends count
        int failedItems = 0;
        Matcher ends = Pattern.compile("(?m)^  \\* .* \\d+ ok, (\\d+) failed, \\d+ skipped in ").matcher(run.output());
        while (ends.find()) {
            failedItems += Integer.parseInt(ends.group(1));
        }
        long reasons = run.output().lines()
                .filter(line -> line.matches("  ! \\S+ failed: \\S+ ran out of GPU memory on \\S+")).count();
        assertTrue(failedItems > 0, run.output());
        assertEquals(failedItems, reasons, run.output());
        assertTrue(unwrapped.contains("skipped done_IMG_0003.jpg: each already had a "
                + "result, and under OverwritePolicy.SKIP"), run.output());
    }

    @Test
    void theShellIsUsableWhileTheDemoRuns() throws Exception {
        try (DemoProcess demo = new DemoProcess("--shell", "--no-web", "--scale", "2")) {
            demo.awaitLine("Gogo shell: try");
            demo.send("echo answered-while-running");
            demo.awaitLine("answered-while-running");
            assertFalse(demo.finished(), "the shell answered only after the run:\n" + String.join("\n", demo.lines()));
        }
    }
}

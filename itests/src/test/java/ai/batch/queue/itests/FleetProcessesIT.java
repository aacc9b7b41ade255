package ai.batch.queue.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fleet mode across processes, as {@code ./demo --example fleet --freeze --restart-db} runs it: a real PostgreSQL
 * and three nodes, each the demo distribution (embedded Felix) in a JVM of its own with a simulated model server
 * that counts its loads; fifteen interleaved jobs of five models. Mid-run one node is killed (kill -9) while it
 * holds work, another is frozen (SIGSTOP) until the fleet declares it dead and then resumed (SIGCONT), and
 * PostgreSQL restarts. The example checks the database and the nodes' event logs and writes a report.
 */
class FleetProcessesIT {

    private static final long TIMEOUT_SECONDS = 180;

    @Test
    void threeNodesShareTheQueueThroughAKillAFreezeAndADatabaseRestart() throws Exception {
        File jar = new File(System.getProperty("fleet.demo.jar"));
        assertTrue(jar.isFile(), "the fleet example is built: " + jar);
        Path work = Files.createDirectories(Path.of(System.getProperty("fleet.work")));
        Path report = work.resolve("report.json");
        Files.deleteIfExists(report);
        Path log = work.resolve("output.txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.getPath(), "--demo-jar", System.getProperty("demo.jar"), "--speed", "2", "--freeze", "--restart-db",
                "--report", report.toString(), "--work", work.resolve("run-" + System.nanoTime()).toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        boolean ended = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!ended) {
            process.destroyForcibly();
        }
        assertTrue(ended, "the fleet example ended within " + TIMEOUT_SECONDS + " s:\n" + output);
        assertEquals(0, process.exitValue(), output);

        JsonNode result = new ObjectMapper().readTree(report.toFile());
        assertEquals(0, result.path("problems").size(), output);
        assertEquals(120, result.path("items").asInt(), output);
        assertEquals(120, result.path("itemsRecorded").asInt(), "every item recorded\n" + output);
        assertEquals(0, result.path("itemsRecordedTwice").asInt(), "no item recorded twice\n" + output);
        long held = result.path("inFlightKilled").asLong() + result.path("inFlightFrozen").asLong();
        assertTrue(result.path("inFlightKilled").asLong() > 0, "node-2 was killed holding work\n" + output);
        assertTrue(result.path("inFlightFrozen").asLong() > 0, "node-3 was frozen holding work\n" + output);
        assertTrue(result.path("repeatedRuns").asLong() <= held,
                "items run again: at most what the killed and the frozen node held\n" + output);
        assertTrue(result.path("loads").asInt() <= 5 + 3, "loads at most models + slots\n" + output);
        assertEquals(15, result.path("dashboardCompletedJobs").asInt(), "node-1's dashboard lists every job\n" + output);
        assertEquals("dead", result.path("dashboardNodes").path("node-2").asText(), "the nodes view\n" + output);
        assertEquals("alive", result.path("dashboardNodes").path("node-1").asText(), "the nodes view\n" + output);
        assertTrue(output.contains("PostgreSQL back after"), output);
        assertTrue(result.path("requeued").path("node dead: node-2").asLong() > 0, output);
    }
}

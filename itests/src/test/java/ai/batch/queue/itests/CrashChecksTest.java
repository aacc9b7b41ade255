package ai.batch.queue.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The crash test's verdict on hand-made work directories, so that a pass of {@link CrashIT} means what it says:
 * a clean run passes, and lost jobs, changed outputs, re-runs no kill explains and a forgotten framework storage
 * are each reported.
 */
class CrashChecksTest {

    private static final List<CrashWorkload.Job> JOBS = CrashWorkload.jobs(2, 6);

    @TempDir
    Path dir;

    @Test
    void aRunThatLostNothingAndRerunOnlyTheKilledItemPasses() throws IOException {
        CrashChecks checks = check(List.of("1 crash-job-01 item-0001", "1 crash-job-01 item-0002",
                "2 crash-job-01 item-0002", "2 crash-job-01 item-0003", "2 crash-job-02 item-0001",
                "2 crash-job-02 item-0002", "2 crash-job-02 item-0003"), item -> item, "1 - p", "2 1 p");

        assertEquals(List.of(), checks.problems());
        assertTrue(checks.summary().contains("Final state: 2 of 2 jobs; items checked: 6 of 6, completed with the"
                + " expected output: 6"), checks.summary().toString());
        assertTrue(checks.summary().stream().anyMatch(line -> line.contains("items called more than once"
                + " (duplicates): 1, at most 2 calls")), checks.summary().toString());
    }

    @Test
    void anItemRunAgainThoughNoKillInterruptedItIsReported() throws IOException {
        // life 1 was killed while item-0003 ran, with item-0002's result perhaps not yet synced: item-0001 had
        // been done and on disk for a whole item, and must not run again
        CrashChecks checks = check(List.of("1 crash-job-01 item-0001", "1 crash-job-01 item-0002",
                "1 crash-job-01 item-0003", "2 crash-job-01 item-0001", "2 crash-job-01 item-0002",
                "2 crash-job-01 item-0003", "2 crash-job-02 item-0001", "2 crash-job-02 item-0002",
                "2 crash-job-02 item-0003"), item -> item, "1 - p", "2 1 p");

        assertEquals(1, checks.problems().size(), checks.problems().toString());
        assertTrue(checks.problems().get(0).contains("crash-job-01 item-0001: 2 calls (in lives [1, 2]), at most 1"),
                checks.problems().get(0));
    }

    @Test
    void theItemFinishedJustBeforeAKillMayRunAgain() throws IOException {
        CrashChecks checks = check(List.of("1 crash-job-01 item-0001", "1 crash-job-01 item-0002",
                "2 crash-job-01 item-0001", "2 crash-job-01 item-0002", "2 crash-job-01 item-0003",
                "2 crash-job-02 item-0001", "2 crash-job-02 item-0002", "2 crash-job-02 item-0003"), item -> item,
                "1 - p", "2 1 p");

        assertEquals(List.of(), checks.problems());
    }

    @Test
    void aCompletedItemWhoseOutputChangedIsReported() throws IOException {
        CrashChecks checks = check(List.of("1 crash-job-01 item-0001", "2 crash-job-01 item-0002",
                "2 crash-job-01 item-0003", "2 crash-job-02 item-0001", "2 crash-job-02 item-0002",
                "2 crash-job-02 item-0003"),
                item -> item.get("id").equals("item-0003") ? withOutput(item, "x") : item, "1 - p", "2 1 p");

        assertEquals(1, checks.problems().size(), checks.problems().toString());
        assertTrue(checks.problems().get(0).startsWith("Final state: 2 completed items whose output or data changed:"
                + " crash-job-01 item-0003: output x"), checks.problems().get(0));
    }

    @Test
    void aJobMissingFromTheFinalStateIsReportedAsLost() throws IOException {
        write("calls.log", List.of("1 crash-job-01 item-0001", "2 crash-job-01 item-0002",
                "2 crash-job-01 item-0003"));
        write("storage.log", List.of("1 - p", "2 1 p"));
        writeFinalState(List.of(finalJob(JOBS.get(0), item -> item)));
        CrashChecks checks = CrashChecks.run(dir, lives(), JOBS);

        assertTrue(checks.problems().stream().anyMatch(p -> p.startsWith("Final state: 1 jobs missing from the final"
                + " state (lost): crash-job-02 with 3 items")), checks.problems().toString());
    }

    @Test
    void aFrameworkStorageThatForgotEarlierLivesIsReported() throws IOException {
        CrashChecks checks = check(List.of("1 crash-job-01 item-0001", "2 crash-job-01 item-0001",
                "2 crash-job-01 item-0002", "2 crash-job-01 item-0003", "2 crash-job-02 item-0001",
                "2 crash-job-02 item-0002", "2 crash-job-02 item-0003"), item -> item, "1 - p", "2 - p");

        assertEquals(1, checks.problems().size(), checks.problems().toString());
        assertTrue(checks.problems().get(0).contains("was not kept across restarts"), checks.problems().get(0));
    }

    /** Life 1 killed, life 2 final; final.json holds every job with each item passed through {@code edit}. */
    private CrashChecks check(List<String> calls, UnaryOperator<Map<String, Object>> edit, String... storage)
            throws IOException {
        write("calls.log", calls);
        write("storage.log", List.of(storage));
        List<Map<String, Object>> jobs = new ArrayList<>();
        JOBS.forEach(job -> jobs.add(finalJob(job, edit)));
        writeFinalState(jobs);
        return CrashChecks.run(dir, lives(), JOBS);
    }

    private List<CrashLife> lives() throws IOException {
        Path log = dir.resolve("life.log");
        Files.writeString(log, "");
        return List.of(new CrashLife(1, 1000, true, 137, 1000, log), new CrashLife(2, -1, false, 0, 2000, log));
    }

    private static Map<String, Object> finalJob(CrashWorkload.Job job, UnaryOperator<Map<String, Object>> edit) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (CrashWorkload.Item item : job.items()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", item.id());
            node.put("data", item.data());
            node.put("status", "completed");
            node.put("error", null);
            node.put("output", item.output());
            items.add(edit.apply(node));
        }
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", job.id());
        node.put("resourceKey", job.model());
        node.put("items", items);
        node.put("status", "completed");
        return node;
    }

    private static Map<String, Object> withOutput(Map<String, Object> item, String output) {
        item.put("output", output);
        return item;
    }

    private void writeFinalState(List<Map<String, Object>> jobs) throws IOException {
        Files.write(dir.resolve("final.json"), new ObjectMapper().writeValueAsBytes(jobs));
    }

    private void write(String name, List<String> lines) throws IOException {
        Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }
}

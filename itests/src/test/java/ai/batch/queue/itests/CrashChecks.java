package ai.batch.queue.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads what the lives of a crash run left in the work directory and checks it: the framework storage was kept
 * ({@code storage.log}), the lives ended as planned, the final state ({@code final.json}) holds every job and
 * item exactly once, completed with the expected output, and no item was handed to a handler more often than
 * the kills allow ({@code calls.log}). Collects every problem instead of stopping at the first.
 */
final class CrashChecks {

    private static final int EXAMPLES = 5;
    /**
     * The calls at the end of a killed life whose items may run again: the one running at the kill and the one
     * before it, whose result the executor recorded without waiting for the journal's fsync.
     */
    private static final int UNSYNCED_TAIL = 2;
    private static final int EXIT_STATE_LOST = 3;
    private static final String DROPPED = "Error reloading cached bundle, removing it: ";

    private final Path dir;
    private final List<CrashLife> lives;
    private final List<CrashWorkload.Job> expected;
    private final List<String> problems = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();

    private CrashChecks(Path dir, List<CrashLife> lives, List<CrashWorkload.Job> expected) {
        this.dir = dir;
        this.lives = lives;
        this.expected = expected;
    }

    static CrashChecks run(Path dir, List<CrashLife> lives, List<CrashWorkload.Job> expected) throws IOException {
        CrashChecks checks = new CrashChecks(dir, lives, expected);
        checks.storageWasKept();
        checks.noQueueBundleDropped();
        checks.livesEndedAsPlanned();
        Map<String, String> finalStatus = checks.finalState();
        checks.handlerCalls(finalStatus);
        return checks;
    }

    /** Everything that is wrong, most basic first; empty when the run passed. */
    List<String> problems() {
        return problems;
    }

    /** The numbers of the run, one line each. */
    List<String> summary() {
        return summary;
    }

    private void storageWasKept() throws IOException {
        List<String> lines = readLines(dir.resolve("storage.log"));
        Set<Integer> recorded = new TreeSet<>();
        List<String> forgotten = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split(" ", 3);
            if (parts.length < 3 || !parts[0].matches("\\d+") || !parts[1].matches("-|[\\d,]+")) {
                forgotten.add("storage.log has a line that is not '<life> <lives found> <path>': '" + line + "'");
                continue;
            }
            int life = Integer.parseInt(parts[0]);
            Set<Integer> found = "-".equals(parts[1]) ? Set.of()
                    : List.of(parts[1].split(",")).stream().map(Integer::valueOf).collect(Collectors.toSet());
            Set<Integer> missing = new TreeSet<>(recorded);
            missing.removeAll(found);
            if (!missing.isEmpty()) {
                forgotten.add("life " + life + " did not find lives " + missing + " in " + parts[2]);
            }
            recorded.add(life);
        }
        summary.add(String.format("Framework storage kept across restarts: %s (%d of %d lives reached the harness"
                + " and each found every earlier one in its bundle data area)", forgotten.isEmpty() ? "yes" : "NO",
                lines.size(), lives.size()));
        if (!forgotten.isEmpty()) {
            problems.add("The framework storage, where the queue keeps its journal by default, was not kept across"
                    + " restarts, so lost state would not be the queue's fault (check -Dlaunch.storage.dir and"
                    + " -Dlaunch.keep): " + examples(forgotten));
        }
    }

    /**
     * Felix drops a bundle whose cache entry a kill left half-written, data area included, and logs
     * {@value #DROPPED}{@code <storage>/bundle<id>}; bundles.log names the ids. Losing the impl bundle's entry
     * loses the journal in its data area: a real loss, but one of the framework cache, so say so.
     */
    private void noQueueBundleDropped() throws IOException {
        Map<String, String> names = new HashMap<>();
        for (String line : readLines(dir.resolve("bundles.log"))) {
            String[] parts = line.split(" ", 2);
            for (String entry : parts.length < 2 ? new String[0] : parts[1].split(",")) {
                String[] idAndName = entry.split("=", 2);
                names.putIfAbsent("bundle" + idAndName[0], idAndName.length < 2 ? "?" : idAndName[1]);
            }
        }
        List<String> dropped = new ArrayList<>();
        boolean queueDropped = false;
        for (CrashLife life : lives) {
            for (String line : readLines(life.log())) {
                int at = line.indexOf(DROPPED);
                if (at >= 0) {
                    String entry = Path.of(line.substring(at + DROPPED.length()).trim()).getFileName().toString();
                    String name = names.getOrDefault(entry, "never started");
                    queueDropped |= name.startsWith("ai.batch.queue.impl");
                    dropped.add("life " + life.number() + ": " + entry + " = " + name);
                }
            }
        }
        summary.add("Felix bundle cache entries dropped after a kill: " + (dropped.isEmpty() ? "none"
                : examples(dropped)));
        if (queueDropped) {
            problems.add("Felix dropped the impl bundle's cache entry after a kill, and with it the bundle's data"
                    + " area, where the journal lives by default (" + examples(dropped) + "); state lost from then"
                    + " on is the framework cache's doing, not the journal's");
        }
    }

    private void livesEndedAsPlanned() throws IOException {
        Map<Integer, List<Integer>> earlyByExitCode = new TreeMap<>();
        Map<Integer, CrashLife> firstByExitCode = new HashMap<>();
        for (CrashLife life : lives) {
            if (life.exitedByItself()) {
                earlyByExitCode.computeIfAbsent(life.exitCode(), code -> new ArrayList<>()).add(life.number());
                firstByExitCode.putIfAbsent(life.exitCode(), life);
            }
        }
        for (Map.Entry<Integer, List<Integer>> early : earlyByExitCode.entrySet()) {
            CrashLife first = firstByExitCode.get(early.getKey());
            String what = switch (early.getKey()) {
                case 0 -> "finished the whole workload before their kill: the workload is too small for the number"
                        + " of kills; raise crash.items rather than count fewer kills";
                case EXIT_STATE_LOST -> "stopped by themselves because the queue had lost jobs enqueued in an"
                        + " earlier life (harness exit 3)";
                default -> "exited by themselves with code " + early.getKey() + " before their kill";
            };
            problems.add("Lives " + early.getValue() + " " + what + ". Life " + first.number() + " said: "
                    + notableLines(first.log()));
        }
        CrashLife last = lives.get(lives.size() - 1);
        if (last.exitCode() == -1) {
            problems.add("The final life did not end within " + last.ranMs() / 1000 + " s. It said: "
                    + notableLines(last.log()));
        } else if (last.exitCode() != 0) {
            problems.add("The final life exited with code " + last.exitCode() + " (0 = every job finished). It said: "
                    + notableLines(last.log()));
        }
    }

    /** @return item key ({@code "<jobId> <itemId>"}) → status in the final state */
    private Map<String, String> finalState() throws IOException {
        Path file = dir.resolve("final.json");
        int expectedItems = expected.stream().mapToInt(job -> job.items().size()).sum();
        if (!Files.exists(file)) {
            problems.add("There is no final.json: no life got to write the final state");
            summary.add("Final state: none written; 0 of " + expectedItems + " items checked");
            return Map.of();
        }
        Map<String, List<JsonNode>> jobsById = byId(new ObjectMapper().readTree(file.toFile()));
        Map<String, String> finalStatus = new HashMap<>();
        Map<String, List<String>> wrong = new LinkedHashMap<>();
        int jobsFound = 0;
        int itemsChecked = 0;
        int itemsRight = 0;
        for (CrashWorkload.Job job : expected) {
            List<JsonNode> copies = jobsById.remove(job.id());
            if (copies == null) {
                add(wrong, "jobs missing from the final state (lost)", job.id() + " with " + job.items().size()
                        + " items");
                continue;
            }
            jobsFound++;
            if (copies.size() > 1) {
                add(wrong, "jobs listed more than once", job.id() + " x" + copies.size());
            }
            JsonNode node = copies.get(0);
            if (!"completed".equals(text(node, "status")) || !job.model().equals(text(node, "resourceKey"))) {
                add(wrong, "jobs not COMPLETED on their model", job.id() + ": " + text(node, "status") + " on "
                        + text(node, "resourceKey"));
            }
            Map<String, List<JsonNode>> itemsById = byId(node.path("items"));
            for (CrashWorkload.Item item : job.items()) {
                List<JsonNode> found = itemsById.remove(item.id());
                if (found == null) {
                    add(wrong, "items missing from their job (lost)", item.key());
                    continue;
                }
                itemsChecked++;
                if (found.size() > 1) {
                    add(wrong, "items listed more than once", item.key() + " x" + found.size());
                }
                JsonNode it = found.get(0);
                String status = text(it, "status");
                finalStatus.put(item.key(), status);
                if (!"completed".equals(status)) {
                    add(wrong, "items not COMPLETED", item.key() + ": " + status + " (error: " + text(it, "error")
                            + ")");
                } else if (!item.output().equals(text(it, "output")) || !item.data().equals(text(it, "data"))) {
                    add(wrong, "completed items whose output or data changed", item.key() + ": output "
                            + text(it, "output") + ", data " + text(it, "data") + "; expected " + item.output());
                } else {
                    itemsRight++;
                }
            }
            itemsById.keySet().forEach(extra -> add(wrong, "items that were never enqueued", job.id() + " "
                    + extra));
        }
        jobsById.keySet().forEach(extra -> add(wrong, "jobs that were never enqueued", extra));
        wrong.forEach((what, which) -> problems.add("Final state: " + which.size() + " " + what + ": "
                + examples(which)));
        summary.add(String.format("Final state: %d of %d jobs; items checked: %d of %d, completed with the"
                + " expected output: %d", jobsFound, expected.size(), itemsChecked, expectedItems, itemsRight));
        return finalStatus;
    }

    private void handlerCalls(Map<String, String> finalStatus) throws IOException {
        Map<String, List<Integer>> callLives = new LinkedHashMap<>();
        Map<Integer, List<String>> callsOfLife = new HashMap<>();
        List<String> malformed = new ArrayList<>();
        for (String line : readLines(dir.resolve("calls.log"))) {
            String[] parts = line.split(" ");
            if (parts.length != 3 || !parts[0].matches("\\d+")) {
                malformed.add("'" + line + "'");
                continue;
            }
            String key = parts[1] + " " + parts[2];
            callLives.computeIfAbsent(key, k -> new ArrayList<>()).add(Integer.valueOf(parts[0]));
            callsOfLife.computeIfAbsent(Integer.valueOf(parts[0]), k -> new ArrayList<>()).add(key);
        }
        Map<String, Integer> reruns = new HashMap<>();
        int killed = 0;
        int killedWhileRunning = 0;
        for (CrashLife life : lives) {
            if (life.killed()) {
                killed++;
                List<String> called = callsOfLife.getOrDefault(life.number(), List.of());
                if (!called.isEmpty()) {
                    killedWhileRunning++;
                    // the item running at the kill, and the one finished just before it: the executor goes on
                    // while the journal syncs, so that result may not have reached the disk yet
                    for (String item : called.subList(Math.max(0, called.size() - UNSYNCED_TAIL),
                            called.size())) {
                        reruns.merge(item, 1, Integer::sum);
                    }
                }
            }
        }
        Set<String> expectedKeys = new TreeSet<>();
        expected.forEach(job -> job.items().forEach(item -> expectedKeys.add(item.key())));
        List<String> unknown = new ArrayList<>();
        List<String> tooOften = new ArrayList<>();
        int calls = 0;
        int duplicated = 0;
        int mostCalls = 0;
        for (Map.Entry<String, List<Integer>> entry : callLives.entrySet()) {
            int count = entry.getValue().size();
            calls += count;
            mostCalls = Math.max(mostCalls, count);
            duplicated += count > 1 ? 1 : 0;
            int allowed = 1 + reruns.getOrDefault(entry.getKey(), 0);
            if (!expectedKeys.contains(entry.getKey())) {
                unknown.add(entry.getKey());
            } else if (count > allowed) {
                tooOften.add(entry.getKey() + ": " + count + " calls (in lives " + entry.getValue() + "), at most "
                        + allowed + " allowed");
            }
        }
        List<String> uncalled = finalStatus.entrySet().stream()
                .filter(e -> "completed".equals(e.getValue()) && !callLives.containsKey(e.getKey()))
                .map(Map.Entry::getKey).sorted().toList();
        report(malformed, "calls.log has lines that are not '<life> <jobId> <itemId>'");
        report(unknown, "handlers were called for items that are not in the workload");
        report(tooOften, "items were handed to a handler again although no kill interrupted them nor came right after them (a result that"
                + " was reported was not kept, or work was redone)");
        report(uncalled, "items are COMPLETED although no handler was ever called for them");
        if (killedWhileRunning == 0) {
            problems.add("No kill landed while an item was being processed, so recovery of running items was not"
                    + " exercised; raise crash.max.delay.ms or crash.kills");
        }
        summary.add(String.format("Kills: %d (%d while an item was running, %d during startup, recovery or enqueue)",
                killed, killedWhileRunning, killed - killedWhileRunning));
        summary.add(String.format("Handler calls: %d for %d distinct items; items called more than once"
                + " (duplicates): %d, at most %d calls for one item; re-runs allowed by kills: %d", calls,
                callLives.size(), duplicated, mostCalls, reruns.values().stream().mapToInt(Integer::intValue).sum()));
    }

    private void report(List<String> found, String what) {
        if (!found.isEmpty()) {
            problems.add(found.size() + " " + what + ": " + examples(found));
        }
    }

    private static void add(Map<String, List<String>> wrong, String what, String which) {
        wrong.computeIfAbsent(what, w -> new ArrayList<>()).add(which);
    }

    private static String examples(List<String> all) {
        return all.size() <= EXAMPLES ? String.join("; ", all)
                : String.join("; ", all.subList(0, EXAMPLES)) + "; ... (" + (all.size() - EXAMPLES) + " more)";
    }

    private static Map<String, List<JsonNode>> byId(JsonNode array) {
        Map<String, List<JsonNode>> byId = new LinkedHashMap<>();
        array.forEach(node -> byId.computeIfAbsent(text(node, "id"), id -> new ArrayList<>()).add(node));
        return byId;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /** The harness's own lines and any warnings or errors, last few, as one string for a failure message. */
    static String notableLines(Path log) throws IOException {
        List<String> notable = readLines(log).stream()
                .filter(line -> line.startsWith("[crash") || line.startsWith("[log WARN")
                        || line.startsWith("[log ERROR") || line.contains("Exception"))
                .toList();
        List<String> last = notable.subList(Math.max(0, notable.size() - 4), notable.size());
        return last.isEmpty() ? "(nothing; see " + log + ")" : String.join(" | ", last);
    }

    private static List<String> readLines(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}

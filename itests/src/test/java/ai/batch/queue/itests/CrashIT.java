package ai.batch.queue.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Crash test of the durable queue: runs the crash launcher ({@code crash.jar}: Felix, the runtime set, the queue
 * and the crash harness) again and again on one kept framework storage, kills each life with SIGKILL after a
 * random time, then lets a final life run to its end and checks what is left. See {@code itests/CRASH-TEST.md}.
 *
 * <p>System properties (defaults in brackets): {@code crash.kills} [30], {@code crash.items} [40 per kill + 300],
 * {@code crash.jobs} [6], {@code crash.seed} [20261126], {@code crash.min.delay.ms} / {@code crash.max.delay.ms}
 * [300 / 2500: the kill comes uniformly in between], {@code crash.final.timeout.s} [300], {@code crash.work.root}
 * [the temporary directory; the pom sets {@code target/crash}].
 */
class CrashIT {

    private static final long KILL_WAIT_S = 30;
    /** What a JVM ended by SIGKILL (9) exits with on Linux: 128 + the signal. */
    private static final int KILLED_EXIT_CODE = 128 + 9;
    /** The harness gives up this much before the test would, so that it still writes what it saw. */
    private static final long HARNESS_MARGIN_S = 20;

    /** The parameters of one run; printed with the results so that a failing run can be repeated. */
    record Plan(Path jar, int kills, int items, int jobs, long seed, int minDelayMs, int maxDelayMs,
            long finalTimeoutS) {

        static Plan fromSystemProperties() {
            String jar = System.getProperty("crash.jar");
            assertTrue(jar != null && new File(jar).isFile(), "the crash launcher jar is built: " + jar);
            int kills = intProperty("crash.kills", 30);
            int minDelayMs = intProperty("crash.min.delay.ms", 300);
            int maxDelayMs = intProperty("crash.max.delay.ms", 2_500);
            assertTrue(kills >= 1 && minDelayMs >= 0 && maxDelayMs >= minDelayMs,
                    "need crash.kills >= 1 and 0 <= crash.min.delay.ms <= crash.max.delay.ms");
            return new Plan(Path.of(jar), kills, intProperty("crash.items", 40 * kills + 300),
                    intProperty("crash.jobs", 6), Long.getLong("crash.seed", 20261126L), minDelayMs, maxDelayMs,
                    intProperty("crash.final.timeout.s", 300));
        }

        private static int intProperty(String name, int fallback) {
            String value = System.getProperty(name);
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        }

        @Override
        public String toString() {
            return String.format("crash.kills=%d crash.items=%d crash.jobs=%d crash.seed=%d crash.min.delay.ms=%d"
                    + " crash.max.delay.ms=%d crash.final.timeout.s=%d", kills, items, jobs, seed, minDelayMs,
                    maxDelayMs, finalTimeoutS);
        }
    }

    @Test
    void killedQueueKeepsEveryFinishedItemAndRerunsOnlyTheItemsThatWereRunning() throws Exception {
        Plan plan = Plan.fromSystemProperties();
        Path dir = workDirectory();
        Random random = new Random(plan.seed());
        List<CrashLife> lives = new ArrayList<>();
        long start = System.nanoTime();
        for (int number = 1; number <= plan.kills(); number++) {
            long killAfterMs = plan.minDelayMs() + random.nextInt(plan.maxDelayMs() - plan.minDelayMs() + 1);
            lives.add(live(plan, dir, number, killAfterMs));
        }
        lives.add(live(plan, dir, plan.kills() + 1, -1));
        long wallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        CrashChecks checks = CrashChecks.run(dir, lives, CrashWorkload.jobs(plan.jobs(), plan.items()));
        String report = report(plan, dir, lives, checks, wallMs);
        Files.writeString(dir.resolve("summary.txt"), report + lifeTable(lives), StandardCharsets.UTF_8);
        System.out.println(report);
        if (!checks.problems().isEmpty()) {
            fail(report);
        }
    }

    /** Starts one life; kills it after {@code killAfterMs} unless it is the final life ({@code -1}). */
    private static CrashLife live(Plan plan, Path dir, int number, long killAfterMs)
            throws IOException, InterruptedException {
        Path log = dir.resolve(String.format("life-%03d.log", number));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlaunch.storage.dir=" + dir.resolve("fw"), "-Dlaunch.keep=true",
                "-Dcrash.dir=" + dir, "-Dcrash.life=" + number, "-Dcrash.items=" + plan.items(),
                "-Dcrash.jobs=" + plan.jobs(),
                "-Dcrash.deadline.s=" + Math.max(10, plan.finalTimeoutS() - HARNESS_MARGIN_S),
                "-jar", plan.jar().toString());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (killAfterMs < 0) {
                boolean ended = process.waitFor(plan.finalTimeoutS(), TimeUnit.SECONDS);
                return new CrashLife(number, -1, false, ended ? process.exitValue() : -1, millisSince(started), log);
            }
            if (process.waitFor(killAfterMs, TimeUnit.MILLISECONDS)) { // the fault injection: a random deadline
                return new CrashLife(number, killAfterMs, false, process.exitValue(), millisSince(started), log);
            }
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no framework stop
            if (!process.waitFor(KILL_WAIT_S, TimeUnit.SECONDS)) {
                throw new AssertionError("life " + number + " was still running " + KILL_WAIT_S + " s after SIGKILL");
            }
            // a life that ended by itself just before the kill keeps its own exit code
            boolean killed = process.exitValue() == KILLED_EXIT_CODE;
            return new CrashLife(number, killAfterMs, killed, process.exitValue(), millisSince(started), log);
        } finally {
            if (process.isAlive()) { // a final life that did not end: the next run must not share its storage
                process.destroyForcibly();
                process.waitFor(KILL_WAIT_S, TimeUnit.SECONDS);
            }
        }
    }

    private static Path workDirectory() throws IOException {
        Path root = Path.of(System.getProperty("crash.work.root", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(root);
        return Files.createTempDirectory(root.toAbsolutePath(), "crash-");
    }

    private static String report(Plan plan, Path dir, List<CrashLife> lives, CrashChecks checks, long wallMs) {
        CrashLife last = lives.get(lives.size() - 1);
        long early = lives.stream().filter(CrashLife::exitedByItself).count();
        StringBuilder report = new StringBuilder("Crash test: ")
                .append(checks.problems().isEmpty() ? "PASSED" : "FAILED").append('\n');
        report.append(String.format("  plan: %s%n", plan));
        report.append(String.format("  work directory: %s%n", dir));
        report.append(String.format("  lives: %d (%d planned kills + 1 final) in %.1f s; exited by themselves before"
                + " their kill: %d%n", lives.size(), plan.kills(), wallMs / 1000.0, early));
        report.append(String.format("  final life: %s after %.1f s%n",
                last.exitCode() == -1 ? "did not end" : "exit " + last.exitCode(), last.ranMs() / 1000.0));
        checks.summary().forEach(line -> report.append("  ").append(line).append('\n'));
        if (!checks.problems().isEmpty()) {
            report.append("  problems:\n");
            checks.problems().forEach(problem -> report.append("  - ").append(problem).append('\n'));
        }
        return report.toString();
    }

    private static String lifeTable(List<CrashLife> lives) {
        StringBuilder table = new StringBuilder("\nlife  kill after ms  ran ms  ended\n");
        for (CrashLife life : lives) {
            table.append(String.format("%4d  %13s  %6d  %s%n", life.number(),
                    life.isFinal() ? "-" : Long.toString(life.killAfterMs()), life.ranMs(),
                    life.killed() ? "killed (exit " + life.exitCode() + ")"
                            : life.exitCode() == -1 ? "did not end" : "exit " + life.exitCode()));
        }
        return table.toString();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}

package example.fleet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Watches the fleet work (from the database) and disturbs it on cue: kills node-2 (kill -9) once a quarter of the
 * items are done and it holds some; with {@code --freeze}, stops node-3 (SIGSTOP) at 45 % until the fleet declares
 * it dead, then resumes it; with {@code --restart-db}, restarts PostgreSQL at 65 %. Returns when every job has
 * ended, with the database as it then is.
 */
final class Disturbances {

    private static final long TICK_MS = 100;
    private static final long PROGRESS_MS = 2_000;

    private final FleetOptions options;
    private final FleetCheck check;
    private final Map<String, NodeProcess> nodes;
    private final Consumer<String> say;
    private final Path work;
    private final int port;
    private final Map<String, Object> report;
    private boolean killed;
    private boolean frozen;
    private boolean resumed;
    private boolean restarted;

    Disturbances(FleetOptions options, FleetCheck check, Map<String, NodeProcess> nodes, Consumer<String> say,
            Path work, int port, Map<String, Object> report) {
        this.options = options;
        this.check = check;
        this.nodes = nodes;
        this.say = say;
        this.work = work;
        this.port = port;
        this.report = report;
    }

    EmbeddedPostgres drive(EmbeddedPostgres database, long deadlineNanos, List<String> problems) throws Exception {
        long start = System.nanoTime();
        long lastProgress = 0;
        while (true) {
            long total = check.totalItems();
            long done = check.completedItems();
            if (total > 0 && check.unfinishedJobs() == 0) {
                report.put("seconds", (System.nanoTime() - start) / 1e9);
                say.accept(String.format("  all %d items done in %.1f s", total, (System.nanoTime() - start) / 1e9));
                return database;
            }
            if (System.nanoTime() - start > deadlineNanos) {
                problems.add("the jobs did not end within " + TimeUnit.NANOSECONDS.toSeconds(deadlineNanos) + " s ("
                        + done + " of " + total + " items done)");
                return database;
            }
            if (total > 0 && System.nanoTime() - lastProgress > TimeUnit.MILLISECONDS.toNanos(PROGRESS_MS)) {
                lastProgress = System.nanoTime();
                say.accept(String.format("  %3d/%d items  node-1 %d  node-2 %d  node-3 %d", done, total,
                        nodes.get("node-1").items(), nodes.get("node-2").items(), nodes.get("node-3").items()));
            }
            if (total > 0 && done >= 0) {
                database = disturb(database, (double) done / total);
            }
            Thread.sleep(TICK_MS);
        }
    }

    private EmbeddedPostgres disturb(EmbeddedPostgres database, double share) throws Exception {
        if (!killed && share >= 0.25) {
            long held = check.leasedTo("node-2");
            if (held > 0) {
                nodes.get("node-2").kill();
                killed = true;
                report.put("inFlightKilled", held);
                say.accept("  node-2 killed (kill -9) holding " + held + " leased item" + (held == 1 ? "" : "s")
                        + "; the fleet declares it dead after 2 s without a heartbeat");
            }
        }
        if (options.freeze() && killed && !frozen && share >= 0.45) {
            long held = check.leasedTo("node-3");
            if (held > 0) {
                nodes.get("node-3").signal("STOP");
                frozen = true;
                report.put("inFlightFrozen", held);
                say.accept("  node-3 frozen (SIGSTOP) holding " + held + " leased item" + (held == 1 ? "" : "s"));
            }
        }
        if (frozen && !resumed && check.declaredDead("node-3")) {
            nodes.get("node-3").signal("CONT");
            resumed = true;
            say.accept("  node-3 resumed (SIGCONT) after the fleet declared it dead: its late results are refused,"
                    + " it joins again and works on");
        }
        if (options.restartDb() && !restarted && share >= 0.65 && (!options.freeze() || resumed)) {
            long start = System.nanoTime();
            database.close();
            say.accept("  PostgreSQL stopped under the working nodes");
            database = FleetDemo.startDatabase(work, port);
            restarted = true;
            say.accept(String.format("  PostgreSQL back after %.1f s: the nodes kept their work and go on",
                    (System.nanoTime() - start) / 1e9));
        }
        return database;
    }
}

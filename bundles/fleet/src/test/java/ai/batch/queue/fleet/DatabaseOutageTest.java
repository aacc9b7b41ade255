package ai.batch.queue.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGConnectionPoolDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** PostgreSQL stops under two working nodes and comes back: nothing lost, nothing run twice, nobody reaped. */
class DatabaseOutageTest {

    @TempDir
    Path data;

    private EmbeddedPostgres server;
    private final List<FleetNode> nodes = new ArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws IOException {
        nodes.forEach(FleetNode::halt);
        if (server != null) {
            server.close();
        }
    }

    private EmbeddedPostgres start(int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    @Test
    void nodesHoldTheirResultsWhileTheDatabaseIsAwayAndLoseNothingWhenItReturns() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = start(port);
        PGConnectionPoolDataSource source = new PGConnectionPoolDataSource();
        source.setUrl(server.getJdbcUrl("postgres", "postgres"));
        ConnectionPool pool = new ConnectionPool(source, 8, 2_000);
        new Migrations().migrate(pool);
        Map<String, AtomicInteger> executions = SimulatedRuntime.executions();
        List<SimulatedRuntime> runtimes = new ArrayList<>();
        for (String id : List.of("a", "b")) {
            FleetSettings settings = FleetSettings.defaults(id).withTimes(Duration.ofMillis(100), Duration.ofMillis(300));
            FleetNode node = new FleetNode(pool, settings, 1, 100, event -> { }, message -> warnings.add(id + ": " + message));
            node.start();
            nodes.add(node);
            SimulatedRuntime runtime = new SimulatedRuntime(0, 20, executions);
            runtimes.add(runtime);
            node.addSlot(FleetSlot.of("gpu", runtime, Set.of("m"), 1));
        }
        FleetQueue queue = new FleetQueue(pool, "test");
        List<String> jobs = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            jobs.add(queue.enqueue(ai.batch.queue.BatchJob.of("m", "tag", ai.batch.queue.OverwritePolicy.OVERWRITE,
                    java.util.stream.IntStream.range(0, 30).mapToObj(i -> ai.batch.queue.BatchItem.of("i" + i, "x",
                            ai.batch.queue.SizeBucket.SMALL)).toList())));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> runtimes.stream().allMatch(r -> r.items.get() >= 3));

        server.close(); // PostgreSQL goes away under two busy nodes
        await().atMost(Duration.ofSeconds(20)).until(() -> warnings.stream().anyMatch(w -> w.startsWith("a:") && w.contains("trying again"))
                && warnings.stream().anyMatch(w -> w.startsWith("b:") && w.contains("trying again")));
        server = start(port);

        await().atMost(Duration.ofSeconds(60)).until(() -> jobs.stream().allMatch(id -> queue.getJob(id)
                .map(j -> j.status() == ai.batch.queue.BatchJobStatus.COMPLETED).orElse(false)));
        assertThat(executions).hasSize(120);
        assertThat(executions.values()).as("no item ran twice").allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        assertThat(warnings).as("nobody was declared dead").noneMatch(w -> w.contains("Declared dead"));
        assertThat(warnings).anyMatch(w -> w.contains("in touch with the database again"));
        int afterOutage = runtimes.stream().mapToInt(r -> r.items.get()).sum();
        assertThat(afterOutage).isEqualTo(120);
        warnings.forEach(System.out::println); // the nodes' own account of the outage
        pool.close();
    }
}

package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemResult;

/** The fleet's measured runs; each takes a database of its own. */
final class FleetRuns {

    private static final String MODEL = "noop";
    private static final FleetNode.Reports QUIET = message -> { };

    private FleetRuns() {
    }

    record Throughput(double itemsPerSecond, double seconds, double enqueueSeconds) {
    }

    record Latency(int claims, double p50, double p99, double max) {
    }

    record Failover(long held, long millis) {
    }

    private static BatchJob<String> job(int items) {
        List<BatchItem<String>> list = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            list.add(BatchItem.of("i" + i, "x", SizeBucket.SMALL));
        }
        return BatchJob.of(MODEL, "tag", OverwritePolicy.OVERWRITE, list);
    }

    private static FleetSettings settings(String node, int batchSize, Duration heartbeat, Duration deadAfter) {
        FleetSettings defaults = FleetSettings.defaults(node);
        return new FleetSettings(node, heartbeat, deadAfter, batchSize, defaults.leaseTarget(), defaults.stealFactor(),
                defaults.maxWait(), defaults.itemTimeout(), Duration.ofMillis(100), defaults.outboxRetention());
    }

    /** No-op items through {@code nodes} nodes of {@code slots} slots each, from the first enqueue to the last event. */
    static Throughput throughput(ConnectionPool pool, int nodes, int slots, int batchSize, int jobs, int items)
            throws Exception {
        CountDownLatch completed = new CountDownLatch(jobs);
        List<FleetNode> started = new ArrayList<>();
        BatchItemHandler<Object> noop = (data, context) -> ItemResult.success();
        try {
            for (int n = 0; n < nodes; n++) {
                boolean watcher = n == 0;
                FleetNode node = new FleetNode(pool, settings("node-" + n, batchSize, Duration.ofSeconds(1),
                        Duration.ofSeconds(10)), 1, 0, event -> {
                            if (watcher && event.topic().equals(BatchEvents.TOPIC_JOB_COMPLETED)) {
                                completed.countDown();
                            }
                        }, QUIET);
                node.start();
                started.add(node);
                for (int s = 0; s < slots; s++) {
                    node.addSlot(FleetSlot.of("slot-" + s, noop, FleetBenchmark.model(), 1));
                }
            }
            FleetQueue queue = new FleetQueue(pool, "bench");
            long start = System.nanoTime();
            for (int j = 0; j < jobs; j++) {
                queue.enqueue(job(items));
            }
            double enqueued = (System.nanoTime() - start) / 1e9;
            if (!completed.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the fleet did not finish within 5 minutes");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Throughput(jobs * (double) items / seconds, seconds, enqueued);
        } finally {
            started.forEach(FleetNode::stop);
        }
    }

    /** Claim call times, {@code slots} slots claiming micro-batches at once until the work is gone. */
    static Latency claimLatency(ConnectionPool pool, int slots, int batchSize, int claimsPerSlot) throws Exception {
        NodeLiveness liveness = new NodeLiveness(pool);
        FleetClaims claims = new FleetClaims(pool);
        Settlements settlements = new Settlements(pool);
        long epoch = liveness.join("claimer", "bench");
        for (int s = 0; s < slots; s++) {
            claims.registerSlot("claimer", epoch, "slot-" + s, FleetBenchmark.model(), java.util.Set.of(), 1);
        }
        learned(pool, 1.0);
        FleetQueue queue = new FleetQueue(pool, "bench");
        int total = slots * claimsPerSlot * batchSize;
        for (int j = 0; j < Math.max(1, total / 1_000); j++) {
            queue.enqueue(job(Math.min(total, 1_000)));
        }
        FleetSettings settings = settings("claimer", batchSize, Duration.ofSeconds(1), Duration.ofSeconds(10));
        List<Double> times = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool6 = Executors.newFixedThreadPool(slots);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int s = 0; s < slots; s++) {
                String slot = "slot-" + s;
                workers.add(pool6.submit(() -> {
                    while (true) {
                        long start = System.nanoTime();
                        FleetClaims.Lease lease = claims.claim("claimer", epoch, slot, batchSize, settings, false);
                        times.add((System.nanoTime() - start) / 1e6);
                        if (lease.items().isEmpty()) {
                            return null;
                        }
                        List<Outcome> outcomes = new ArrayList<>();
                        lease.items().forEach(item -> outcomes.add(Outcome.completed(item, 1, null)));
                        settlements.settle("claimer", "claimer/" + slot, outcomes);
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool6.shutdownNow();
        }
        List<Double> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        return new Latency(sorted.size(), sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.99)),
                sorted.get(sorted.size() - 1));
    }

    /** A node stops dead holding a lease; the time until every item it held is leased again by the other node. */
    static Failover failover(ConnectionPool pool, Duration deadAfter) throws Exception {
        Duration heartbeat = Duration.ofMillis(250);
        FleetNode survivor = new FleetNode(pool, settings("survivor", 32, heartbeat, deadAfter), 1, 0, e -> { }, QUIET);
        FleetNode doomed = new FleetNode(pool, settings("doomed", 32, heartbeat, deadAfter), 1, 0, e -> { }, QUIET);
        survivor.start();
        doomed.start();
        try {
            learned(pool, 100.0); // a lease covers about a second: ten items
            BatchItemHandler<Object> slow = (data, context) -> {
                TimeUnit.SECONDS.sleep(30); // holds its lease until the node dies
                return ItemResult.success();
            };
            doomed.addSlot(FleetSlot.of("gpu", slow, FleetBenchmark.model(), 1));
            new FleetQueue(pool, "bench").enqueue(job(20));
            long held = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (held == 0 && System.nanoTime() < deadline) {
                held = count(pool, "SELECT count(*) FROM batch_fleet_items WHERE lease_owner = 'doomed'");
                TimeUnit.MILLISECONDS.sleep(10);
            }
            survivor.addSlot(FleetSlot.of("gpu", (data, context) -> ItemResult.success(), FleetBenchmark.model(), 1));
            TimeUnit.MILLISECONDS.sleep(deadAfter.toMillis() + 500); // the survivor reaps only after deadAfter in touch
            held = count(pool, "SELECT count(*) FROM batch_fleet_items WHERE lease_owner = 'doomed'");
            long start = System.nanoTime();
            doomed.halt();
            while (count(pool, "SELECT count(*) FROM batch_fleet_items WHERE status = 'COMPLETED' AND attempt >= 2") < held) {
                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("the dead node's items did not run elsewhere within 60 s");
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            return new Failover(held, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            survivor.stop();
        }
    }

    private static void learned(ConnectionPool pool, double meanMs) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO batch_fleet_timings VALUES ('" + MODEL + "', 'tag', 'SMALL', 100, " + meanMs + ") "
                    + "ON CONFLICT (resource_key, operation, size_bucket) DO UPDATE SET mean_ms = EXCLUDED.mean_ms");
        }
    }

    private static long count(ConnectionPool pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}

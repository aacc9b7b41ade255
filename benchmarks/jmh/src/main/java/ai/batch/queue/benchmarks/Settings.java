package ai.batch.queue.benchmarks;

import java.util.List;

/**
 * How much measuring a mode does.
 *
 * @param name {@code full} or {@code short}
 * @param warmupIterations JMH warmup iterations per trial
 * @param warmupMillis length of one warmup iteration
 * @param measurementIterations JMH measurement iterations per trial
 * @param measurementMillis length of one measurement iteration
 * @param itemsPerOperation N for (a), (b), (e): items (events) per operation
 * @param journalItems N for (c): items per operation with the journal on (each item waits for an fsync)
 * @param singleItemJobs jobs per operation for the single-item-jobs variant of (b)
 * @param jobRunrJobs jobs per operation for (d)
 * @param enqueueItems the job size for the enqueue case of (f)
 * @param scalingSizes the queue sizes (items in other jobs) for (f)
 * @param memoryItems the items for (g)
 * @param dashboardClients the stalled clients of (j)'s memory probe
 * @param dashboardJobs the jobs of {@code itemsPerOperation} items that (j)'s memory probe runs with them
 * @param dashboardForks JMH forks per row of (j): its rows are compared with each other, and one JVM's run varies
 *        more than the difference the case looks for
 */
public record Settings(String name, int warmupIterations, int warmupMillis, int measurementIterations,
        int measurementMillis, int itemsPerOperation, int journalItems, int singleItemJobs, int jobRunrJobs,
        int enqueueItems, List<Integer> scalingSizes, int memoryItems, int dashboardClients, int dashboardJobs,
        int dashboardForks) {

    /** The full run: about 22 minutes on 2 cores. */
    public static final Settings FULL = new Settings("full", 3, 2_000, 5, 2_000, 10_000, 10_000, 10_000, 10_000,
            100_000, List.of(1_000, 10_000, 100_000, 1_000_000), 1_000_000, 20, 5, 3);

    /** The short run (CI): checks that every case runs and gives a number; the numbers are rough. */
    public static final Settings SHORT = new Settings("short", 1, 300, 3, 300, 10_000, 10_000, 2_000, 1_000,
            100_000, List.of(1_000, 10_000, 100_000, 1_000_000), 1_000_000, 20, 5, 1);

    /** @return a one-line description for the report header */
    public String describe() {
        return "mode **" + name + "**: JMH forks=1 (" + dashboardForks + " for (j)), warmup " + warmupIterations
                + " × " + warmupMillis + " ms, measurement " + measurementIterations + " × " + measurementMillis
                + " ms per trial";
    }
}

package ai.batch.queue.benchmarks.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

import ai.batch.queue.BatchJob;
import ai.batch.queue.benchmarks.support.Workload;
import ai.batch.queue.impl.core.CoreBatchQueue;

/**
 * Case (g): heap used per queued item, measured in a JVM of its own (started by {@link MemoryCase} with a fixed
 * heap and the serial collector, so that nothing else lives in the heap and {@code System.gc()} is a full,
 * stop-the-world collection).
 *
 * <p>Steps, each followed by repeated {@code System.gc()} until the used heap ({@link MemoryMXBean}) settles:
 * baseline; the item id Strings alone (and their array); the caller's jobs ({@link Workload} items sharing one
 * payload object); enqueued into a {@link CoreBatchQueue}; the caller's jobs dropped. Everything measured is kept
 * reachable until its reading is taken. Prints {@code key=value} lines, in bytes per item.
 */
public final class MemoryProbe {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private MemoryProbe() {
    }

    /**
     * @param args total items (default 1,000,000) and number of jobs they are split into (default 10)
     */
    public static void main(String[] args) {
        int totalItems = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int jobCount = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int perJob = totalItems / jobCount;

        warmUp();
        long baseline = settledUsedHeap();

        String[][] ids = new String[jobCount][];
        for (int j = 0; j < jobCount; j++) {
            ids[j] = Workload.ids("job" + j + "-item-", perJob);
        }
        long withIds = settledUsedHeap();

        List<BatchJob<Workload.Payload>> jobs = new ArrayList<>();
        for (int j = 0; j < jobCount; j++) {
            jobs.add(Workload.job(Workload.items(ids[j])));
        }
        long withJobs = settledUsedHeap();

        CoreBatchQueue queue = new CoreBatchQueue();
        for (BatchJob<Workload.Payload> job : jobs) {
            queue.enqueue(job);
        }
        long enqueued = settledUsedHeap();

        jobs = null; // the caller lets go of its jobs: what is left is what the queue keeps
        long queueOnly = settledUsedHeap();
        if (queue.listJobs().size() != jobCount) {
            throw new IllegalStateException("The queue lost jobs");
        }
        Reference.reachabilityFence(ids);
        Reference.reachabilityFence(queue);

        double n = (double) perJob * jobCount;
        System.out.println("items=" + (long) n);
        System.out.println("jobs=" + jobCount);
        System.out.println("idStrings=" + (withIds - baseline) / n);
        System.out.println("callerJobs=" + (withJobs - withIds) / n);
        System.out.println("queueWhileCallerHoldsJobs=" + (enqueued - withJobs) / n);
        System.out.println("queueIncludingIds=" + (queueOnly - baseline) / n);
        System.out.println("queueExcludingIds=" + (queueOnly - withIds) / n);
    }

    /** Loads and runs the code paths once, so that lazily created statics are in the baseline. */
    private static void warmUp() {
        CoreBatchQueue queue = new CoreBatchQueue();
        queue.enqueue(Workload.job(1_000));
        queue.listJobs();
    }

    /**
     * @return the used heap once repeated {@code System.gc()} calls no longer change it (by less than 16 KiB)
     */
    public static long settledUsedHeap() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            System.gc();
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 16 * 1024 && i >= 2) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}

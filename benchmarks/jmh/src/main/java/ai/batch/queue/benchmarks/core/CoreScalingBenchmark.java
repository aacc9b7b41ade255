package ai.batch.queue.benchmarks.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.benchmarks.support.Workload;
import ai.batch.queue.impl.core.CoreBatchQueue;

/**
 * Case (f), scaling: the cost of single operations on a {@link CoreBatchQueue} that already holds
 * {@link #otherItems} items in other jobs (QUEUED jobs of {@link #otherJobSize} items each: by default 1,000, so
 * 1 to 1,000 jobs). O(1) operations cost the same at every size; the report shows the ratio of the largest to the
 * smallest size.
 *
 * <ul>
 * <li>{@code getJob}: a snapshot of one small job ({@value #SMALL_JOB_SIZE} items);</li>
 * <li>{@code listJobs}: snapshots of every job, so it grows with the number of jobs (run once more with the same
 * items in 10 jobs, to tell jobs from items);</li>
 * <li>{@code updateItem}: one item of a running small job, PENDING to COMPLETED with a duration (which also
 * records an ETA sample). An item cannot go back to PENDING, so each invocation updates all items of a fresh
 * small job, prepared (enqueue, markRunning) and removed (markCompleted, purge) outside the measurement.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CoreScalingBenchmark {

    /** Items in the small job that is read or updated. */
    public static final int SMALL_JOB_SIZE = 100;

    /** Items already in the queue, in other jobs. */
    @Param({"1000", "10000", "100000", "1000000"})
    public int otherItems;

    /** Items per other job. */
    @Param("1000")
    public int otherJobSize;

    private CoreBatchQueue queue;
    private String smallJobId;
    private String[] smallIds;
    private BatchJob<Workload.Payload> smallTemplate;

    @Setup(Level.Trial)
    public void fillQueue() {
        queue = new CoreBatchQueue();
        List<BatchItem<Workload.Payload>> otherItemsOfOneJob =
                Workload.items(Workload.ids("other-", otherJobSize));
        for (int i = 0; i < otherItems / otherJobSize; i++) {
            queue.enqueue(Workload.job(otherItemsOfOneJob));
        }
        smallIds = Workload.ids("small-", SMALL_JOB_SIZE);
        smallTemplate = Workload.job(Workload.items(smallIds));
        smallJobId = queue.enqueue(smallTemplate);
        int held = queue.listJobs().stream().mapToInt(job -> job.items().size()).sum();
        if (held != otherItems + SMALL_JOB_SIZE) {
            throw new IllegalStateException("The queue holds " + held + " items, expected "
                    + (otherItems + SMALL_JOB_SIZE));
        }
    }

    /** @return the snapshot */
    @Benchmark
    public Optional<BatchJob<?>> getJob() {
        return queue.getJob(smallJobId);
    }

    /** @return the snapshots */
    @Benchmark
    public List<BatchJob<?>> listJobs() {
        return queue.listJobs();
    }

    /** Completes every item of a fresh small job: the score is per updateItem call. */
    @Benchmark
    @OperationsPerInvocation(SMALL_JOB_SIZE)
    public void updateItem(FreshSmallJob fresh) {
        String jobId = fresh.jobId;
        for (String itemId : smallIds) {
            queue.updateItem(jobId, itemId, BatchItemStatus.COMPLETED, null, 1L);
        }
    }

    /**
     * A running small job whose items are all PENDING, new for every invocation of {@link #updateItem}. A state
     * of its own, so that {@link #getJob} and {@link #listJobs} run without per-invocation fixtures.
     */
    @State(Scope.Benchmark)
    public static class FreshSmallJob {
        String jobId;

        @Setup(Level.Invocation)
        public void start(CoreScalingBenchmark benchmark) {
            jobId = benchmark.queue.enqueue(benchmark.smallTemplate);
            benchmark.queue.markRunning(jobId);
        }

        @TearDown(Level.Invocation)
        public void remove(CoreScalingBenchmark benchmark) {
            benchmark.queue.markCompleted(jobId);
            benchmark.queue.purge(jobId);
        }
    }
}

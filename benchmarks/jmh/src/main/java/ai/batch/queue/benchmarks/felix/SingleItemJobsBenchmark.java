package ai.batch.queue.benchmarks.felix;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.benchmarks.support.Workload;

/**
 * Case (b), single-item jobs: one operation enqueues {@link #jobs} jobs of one item each, back to back, and waits
 * for all their {@code job_completed} (and {@code item_progress}) events. This is the per-job overhead: planning,
 * start, completion, events. The report multiplies operations per second by {@link #jobs} to get jobs per
 * second. Events are on; every {@link #eventAdminTimeout} gets its own framework.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SingleItemJobsBenchmark extends FelixTrial {

    /** Jobs per operation. */
    @Param("10000")
    public int jobs;

    /** Felix EventAdmin's {@code Timeout} in ms. */
    @Param({"0", "5000"})
    public int eventAdminTimeout;

    private BatchQueue queue;
    private BatchJob<Workload.Payload> template;
    private final List<BatchJob<Workload.Payload>> batch = new ArrayList<>();
    private String prefix;
    private long operation;

    @Setup(Level.Trial)
    public void startFramework() {
        felix = FelixQueue.start(eventAdminTimeout, true, false);
        queue = felix.queue();
        List<BatchItem<Workload.Payload>> oneItem = Workload.items(new String[] {"item"});
        template = Workload.job(oneItem);
    }

    /** Builds this operation's jobs with their ids, outside the measurement. */
    @Setup(Level.Invocation)
    public void buildJobs() {
        prefix = "op" + (++operation) + "-";
        batch.clear();
        for (int i = 0; i < jobs; i++) {
            batch.add(template.withId(prefix + i));
        }
    }

    @Benchmark
    public void enqueueAndRunSingleItemJobs() {
        felix.counter().expect(prefix, jobs, jobs);
        for (BatchJob<Workload.Payload> job : batch) {
            queue.enqueue(job);
        }
        felix.counter().awaitAll();
    }
}

package ai.batch.queue.benchmarks.core;

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

import ai.batch.queue.BatchJob;
import ai.batch.queue.benchmarks.support.Workload;
import ai.batch.queue.impl.core.CoreBatchQueue;

/**
 * Case (f), enqueue: one operation enqueues one pre-built job of {@link #items} items into a new, empty
 * {@link CoreBatchQueue} (plain Java: no OSGi, no executor, no events). The report multiplies operations per
 * second by {@link #items} to get items per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CoreEnqueueBenchmark {

    /** Items in the job. */
    @Param("100000")
    public int items;

    private BatchJob<Workload.Payload> job;

    @Setup(Level.Trial)
    public void buildJob() {
        job = Workload.job(items);
    }

    /** @return the queue, so that nothing is optimized away */
    @Benchmark
    public CoreBatchQueue enqueueOneJob() {
        CoreBatchQueue queue = new CoreBatchQueue();
        queue.enqueue(job);
        return queue;
    }
}

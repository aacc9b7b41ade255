package ai.batch.queue.benchmarks.core;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemResult;

/**
 * Case (h): per-resource item concurrency. A handler declaring {@code ai.batch.concurrency} = {@link #lanes}
 * runs one job of {@link #items} items, in plain Java (the queue's executor, no OSGi, no events). Two kinds of
 * handler: {@code remote} waits 1 ms per item without using the CPU (a model behind a server: scales with lanes
 * beyond the core count), {@code cpu} computes for about 0.1 ms per item (scales up to the 2 cores). The report
 * multiplies operations per second by {@link #items}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LanesBenchmark {

    /** Items per job, i.e. per operation. */
    @Param("400")
    public int items;

    /** The handler's declared concurrency. */
    @Param({"1", "2", "4", "8"})
    public int lanes;

    /** {@code remote} (waits 1 ms) or {@code cpu} (computes about 70 µs). */
    @Param({"remote", "cpu"})
    public String kind;

    private ExecutorBench bench;

    @Setup(Level.Trial)
    public void start() {
        boolean remote = "remote".equals(kind);
        BatchItemHandler<Object> handler = (data, context) -> {
            if (remote) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            } else {
                Blackhole.consumeCPU(25_000);
            }
            return ItemResult.success();
        };
        bench = new ExecutorBench(handler, Map.of(BatchItemHandler.CONCURRENCY, lanes), items);
    }

    @TearDown(Level.Trial)
    public void stop() {
        bench.close();
    }

    @Benchmark
    public void runOneJob() throws InterruptedException {
        bench.runOneJob();
    }
}

package ai.batch.queue.benchmarks.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemResult;

/**
 * Case (k): the queue's own cost per item when slots share a job. One job of {@link #items} items runs on a no-op
 * handler registered {@link #slots} times, each registration a slot of its own ({@code ai.batch.slot}), or once as a
 * plain handler ({@code slots} = 0), in plain Java (the queue's executor, no OSGi, no events). With no-op handlers
 * the slots only contend for the queue: items per second measure the overhead, not any speed-up. The report
 * multiplies operations per second by {@link #items}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SlotsBenchmark {

    /** Items per job, i.e. per operation. */
    @Param("10000")
    public int items;

    /** Slots sharing the job; 0: one plain handler. */
    @Param({"0", "1", "3"})
    public int slots;

    private ExecutorBench bench;

    @Setup(Level.Trial)
    public void start() {
        BatchItemHandler<Object> handler = (data, context) -> ItemResult.success();
        List<Map<String, Object>> registrations = new ArrayList<>();
        if (slots == 0) {
            registrations.add(Map.of());
        }
        for (int i = 1; i <= slots; i++) {
            registrations.add(Map.of(BatchItemHandler.SLOT, "slot-" + i));
        }
        bench = new ExecutorBench(handler, registrations, items);
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

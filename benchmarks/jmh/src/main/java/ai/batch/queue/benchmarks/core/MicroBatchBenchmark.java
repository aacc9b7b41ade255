package ai.batch.queue.benchmarks.core;

import java.util.Collections;
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
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * Case (i): micro-batches. A handler declaring {@code ai.batch.batchSize} = {@link #batchSize} runs one job of
 * {@link #items} items, in plain Java (the queue's executor, no OSGi, no events). Each call costs a fixed
 * {@value #CALL_MICROS} µs plus {@value #ITEM_MICROS} µs per item, spent busy on the CPU (like a GPU or ONNX
 * inference call whose launch dominates small inputs); batch size 1 is the same handler called through
 * {@code process}. The report multiplies operations per second by {@link #items}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MicroBatchBenchmark {

    /** The fixed cost of one call, in µs. */
    static final long CALL_MICROS = 200;
    /** The cost of each item of a call, in µs. */
    static final long ITEM_MICROS = 20;

    /** Items per job, i.e. per operation. */
    @Param("512")
    public int items;

    /** The handler's declared batch size. */
    @Param({"1", "8", "32"})
    public int batchSize;

    private ExecutorBench bench;

    @Setup(Level.Trial)
    public void start() {
        bench = new ExecutorBench(new BatchItemHandler<Object>() {
            @Override
            public ItemResult process(Object data, ItemContext context) {
                work(1);
                return ItemResult.success();
            }

            @Override
            public List<ItemResult> processBatch(List<Object> data, List<ItemContext> contexts) {
                work(data.size());
                return Collections.nCopies(data.size(), ItemResult.success());
            }
        }, Map.of(BatchItemHandler.BATCH_SIZE, batchSize), items);
    }

    /** Spins for the cost of one call over {@code count} items. */
    private static void work(int count) {
        long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(CALL_MICROS + ITEM_MICROS * count);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
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

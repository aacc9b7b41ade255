package ai.batch.queue.benchmarks.raw;

import java.util.HashMap;
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

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.benchmarks.support.NoopHandler;
import ai.batch.queue.benchmarks.support.Workload;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * Case (a), the floor: what it costs to hand N items to a no-op handler and remember each item's status in a
 * {@code HashMap}, with no queue, no threads and no events. One operation is one pass over N pre-built items;
 * the report multiplies operations per second by N to get items per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RawLoopBenchmark {

    /** Items per operation. */
    @Param("10000")
    public int items;

    private List<BatchItem<Workload.Payload>> batch;
    private final NoopHandler handler = new NoopHandler();
    private final ItemContext context = new FixedContext();

    @Setup(Level.Trial)
    public void buildItems() {
        batch = Workload.items(Workload.ids("item-", items));
    }

    /** @return the statuses, so that nothing is optimized away */
    @Benchmark
    public Map<String, BatchItemStatus> loop() throws Exception {
        Map<String, BatchItemStatus> statuses = new HashMap<>(items * 2);
        for (BatchItem<Workload.Payload> item : batch) {
            ItemResult result = handler.process(item.data(), context);
            statuses.put(item.id(), result.isSuccess() ? BatchItemStatus.COMPLETED : BatchItemStatus.FAILED);
        }
        return statuses;
    }

    /** The one context every item of the loop sees. */
    private static final class FixedContext implements ItemContext {
        @Override
        public String jobId() {
            return "raw";
        }

        @Override
        public String itemId() {
            return "";
        }

        @Override
        public String resourceKey() {
            return NoopHandler.RESOURCE;
        }

        @Override
        public String operation() {
            return Workload.OPERATION;
        }

        @Override
        public SizeBucket sizeBucket() {
            return SizeBucket.UNKNOWN;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}

package ai.batch.queue.fleet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * A model runtime with room for one model: a call for another model first loads it (taking {@code loadMs}), then
 * each item takes {@code itemMs}. It counts its own loads, and every call it ran into a map shared by the test.
 */
final class SimulatedRuntime implements BatchItemHandler<Object> {

    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger items = new AtomicInteger();
    private final long loadMs;
    private final long itemMs;
    private final Map<String, AtomicInteger> executions;
    private volatile String held;
    private volatile CountDownLatch entered = new CountDownLatch(0);

    SimulatedRuntime(long loadMs, long itemMs, Map<String, AtomicInteger> executions) {
        this.loadMs = loadMs;
        this.itemMs = itemMs;
        this.executions = executions;
    }

    /** @return a latch that opens when the next item starts */
    CountDownLatch nextItemStarts() {
        CountDownLatch latch = new CountDownLatch(1);
        entered = latch;
        return latch;
    }

    @Override
    public ItemResult process(Object data, ItemContext context) throws Exception {
        if (!context.resourceKey().equals(held)) {
            TimeUnit.MILLISECONDS.sleep(loadMs); // the model loads
            held = context.resourceKey();
            loads.incrementAndGet();
        }
        executions.computeIfAbsent(context.jobId() + '/' + context.itemId(), k -> new AtomicInteger()).incrementAndGet();
        entered.countDown();
        TimeUnit.MILLISECONDS.sleep(itemMs); // the item runs
        items.incrementAndGet();
        return ItemResult.successWithOutput("tags of " + data);
    }

    static Map<String, AtomicInteger> executions() {
        return new ConcurrentHashMap<>();
    }
}

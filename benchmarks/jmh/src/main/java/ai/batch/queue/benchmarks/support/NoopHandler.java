package ai.batch.queue.benchmarks.support;

import java.util.concurrent.CountDownLatch;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * A handler that does no work: it counts its calls (so a benchmark can wait until every item was handed over
 * without relying on events) and returns the shared success result.
 */
public final class NoopHandler implements BatchItemHandler<Object> {

    /** The resource key (model name) the benchmarks use. */
    public static final String RESOURCE = "bench";

    private final CallCounter counter = new CallCounter();

    @Override
    public ItemResult process(Object data, ItemContext context) {
        counter.record();
        return ItemResult.success();
    }

    /**
     * @param more how many further calls to wait for
     * @return a latch that opens when this handler has been called that many more times
     */
    public CountDownLatch expectCalls(long more) {
        return counter.expect(more);
    }

    /** @return how many items this handler has processed so far */
    public long calls() {
        return counter.calls();
    }
}

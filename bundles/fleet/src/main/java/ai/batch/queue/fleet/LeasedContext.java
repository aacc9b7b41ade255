package ai.batch.queue.fleet;

import java.util.concurrent.atomic.AtomicBoolean;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.ItemContext;

/** What a handler sees of a leased item; cancelled when the item or its job is cancelled anywhere in the fleet. */
final class LeasedContext implements ItemContext {

    private final ClaimedItem item;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    LeasedContext(ClaimedItem item) {
        this.item = item;
    }

    ClaimedItem item() {
        return item;
    }

    void cancel() {
        cancelled.set(true);
    }

    @Override
    public String jobId() {
        return item.jobId();
    }

    @Override
    public String itemId() {
        return item.itemId();
    }

    @Override
    public String resourceKey() {
        return item.resourceKey();
    }

    @Override
    public String operation() {
        return item.operation();
    }

    @Override
    public SizeBucket sizeBucket() {
        return item.sizeBucket();
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }
}

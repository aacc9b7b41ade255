package ai.batch.queue.impl.executor;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.ItemContext;

/**
 * What the handler sees of one item of a {@link RunningCall}, with the data it is called with. Cancelled when
 * the item is, or when the whole call is stopped.
 */
final class RunningItem implements ItemContext {

    private final String jobId;
    private final String resourceKey;
    private final String operation;
    final BatchItem<?> item;
    /** The data the handler gets: the item's own, or converted from restored JSON. */
    final Object input;
    /** Which call for the item this is, counting from 1 across runs. */
    final int attempt;
    private volatile boolean cancelled;

    RunningItem(BatchJob<?> job, BatchItem<?> item, Object input) {
        this.jobId = job.id();
        this.resourceKey = job.resourceKey();
        this.operation = job.operation();
        this.item = item;
        this.input = input;
        this.attempt = item.attempts() + 1;
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public String itemId() {
        return item.id();
    }

    @Override
    public String resourceKey() {
        return resourceKey;
    }

    @Override
    public String operation() {
        return operation;
    }

    @Override
    public SizeBucket sizeBucket() {
        return item.sizeBucket();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }
}

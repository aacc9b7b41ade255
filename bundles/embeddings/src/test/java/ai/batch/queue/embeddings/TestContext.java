package ai.batch.queue.embeddings;

import java.util.concurrent.atomic.AtomicBoolean;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.ItemContext;

/** An item's context as the queue would pass it. */
record TestContext(String jobId, String itemId, String resourceKey, String operation, AtomicBoolean cancelled)
        implements ItemContext {

    static TestContext of(String itemId) {
        return new TestContext("job-1", itemId, EmbeddingHandler.RESOURCE, EmbeddingHandler.OPERATION,
                new AtomicBoolean());
    }

    TestContext withOperation(String other) {
        return new TestContext(jobId, itemId, resourceKey, other, cancelled);
    }

    @Override
    public SizeBucket sizeBucket() {
        return SizeBucket.UNKNOWN;
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }
}

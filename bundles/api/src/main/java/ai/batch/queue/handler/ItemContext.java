package ai.batch.queue.handler;

import org.osgi.annotation.versioning.ProviderType;

import ai.batch.queue.SizeBucket;

/** What a handler knows about the item it is processing. Provided by the queue. */
@ProviderType
public interface ItemContext {

    /** @return the id of the job the item belongs to */
    String jobId();

    /** @return the item id */
    String itemId();

    /** @return the job's model */
    String resourceKey();

    /** @return the job's operation */
    String operation();

    /** @return the item's size class */
    SizeBucket sizeBucket();

    /**
     * Whether the item or its job was cancelled (or timed out) since processing began. Long-running handlers
     * should poll this and return early; the result is discarded anyway.
     *
     * @return {@code true} once the item should stop
     */
    boolean isCancelled();
}

package ai.batch.queue.fleet;

import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/**
 * One item leased to a slot: what its handler needs, and the attempt that fences its result.
 *
 * @param jobId the job
 * @param itemId the item
 * @param attempt the attempt this lease is for; a result is recorded only while the item is still leased
 *        to this node under this attempt
 * @param data the item data, rebuilt from the store
 * @param dataError why the stored data could not be read ({@code null} when it could): the item then fails
 * @param sizeBucket the size class
 * @param resourceKey the job's model
 * @param operation the job's operation
 * @param policy the job's overwrite policy
 */
record ClaimedItem(String jobId, String itemId, int attempt, Object data, String dataError, SizeBucket sizeBucket,
        String resourceKey, String operation, OverwritePolicy policy) {
}

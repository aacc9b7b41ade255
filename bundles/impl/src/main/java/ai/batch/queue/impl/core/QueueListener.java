package ai.batch.queue.impl.core;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;

/**
 * Told about every change of the queue, in the order the changes happened, never while the queue holds its
 * lock. Implementations must not block for long: they run on the thread that made the change.
 */
public interface QueueListener {

    /** A job was enqueued, or re-queued by a retry. */
    default void jobQueued(BatchJob<?> job, boolean retried) {
    }

    /** A job started running. */
    default void jobStarted(BatchJob<?> job) {
    }

    /** An item of a running job started processing. */
    default void itemStarted(String jobId, BatchItem<?> item) {
    }

    /**
     * An item of a running job reached a final state.
     *
     * @param progress the item and the job's progress right after it
     */
    default void itemFinished(ItemProgress progress) {
    }

    /**
     * A started job ended: completed, or cancelled while it ran. Said once per run.
     *
     * @param summary the job's summary
     * @param status the job's final status
     */
    default void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
    }

    /**
     * A job was cancelled.
     *
     * @param job the cancelled job
     * @param wasRunning whether it was running (its running item, if any, must be stopped)
     */
    default void jobCancelled(BatchJob<?> job, boolean wasRunning) {
    }

    /** A single item was cancelled while pending or running. */
    default void itemCancelled(String jobId, String itemId) {
    }

    /** The planned order changed; {@code plan} lists the queued jobs in their new order. */
    default void planChanged(java.util.List<BatchJob<?>> plan) {
    }

    /**
     * One item's final state while its job runs.
     *
     * @param jobId the job
     * @param item the item in its final state
     * @param completed the job's items in a final state, this one included
     * @param total the job's items
     * @param etaRemainingMs the estimated time left for the job, or {@code null}
     */
    record ItemProgress(String jobId, BatchItem<?> item, int completed, int total, Long etaRemainingMs) {
    }
}

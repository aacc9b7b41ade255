package ai.batch.queue.impl.notify;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;

/**
 * Told about every change of the queue, in the order the changes happened, never while the queue holds its
 * lock. Notifications run on a thread that changed the queue, usually the one that made this change; when
 * another thread is already delivering, that thread delivers this change too, possibly after the call that made
 * it has returned. Implementations must therefore not block: a slow listener delays every later notification.
 * A listener's exception is logged and goes no further.
 */
public interface QueueListener {

    /** Why a job became QUEUED. */
    enum QueuedCause {
        /** {@code enqueue}. */
        ENQUEUED("enqueued"),
        /** {@code retryFailed}. */
        RETRIED("retried"),
        /** It was running, and no handler is left for its model; it waits for one. */
        HANDLER_GONE("handlerGone"),
        /** It was running when the queue stopped. */
        STOPPED("stopped"),
        /** It was running when the process ended; rebuilt from the journal. */
        RECOVERED("recovered");

        private final String wireName;

        QueuedCause(String wireName) {
            this.wireName = wireName;
        }

        /** @return the name used in event properties */
        public String wireName() {
            return wireName;
        }
    }

    /** A job became QUEUED. */
    default void jobQueued(BatchJob<?> job, QueuedCause cause) {
    }

    /**
     * A job started running.
     *
     * @param job the job
     * @param previousResource the model that ran before, or {@code null} if none ran yet
     * @param switchReason why the planner changed models, or {@code null} when the model stays
     */
    default void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
    }

    /**
     * A running item failed in a way that may pass; it is PENDING again with its error and attempt count.
     *
     * @param slot the slot that ran it, or {@code null} when its handler is not a slot
     */
    default void itemRetryScheduled(String jobId, BatchItem<?> item, String slot) {
    }

    /** A finished job was removed (purge or retention). */
    default void jobPurged(String jobId) {
    }

    /** The queue was paused. */
    default void paused() {
    }

    /** The queue was resumed. */
    default void resumed() {
    }

    /** A queued job was moved to the front. */
    default void jobMoved(String jobId) {
    }

    /** A queued job's priority changed. */
    default void priorityChanged(String jobId, ai.batch.queue.JobPriority priority) {
    }

    /**
     * An item of a running job started processing.
     *
     * @param slot the slot that runs it, or {@code null} when its handler is not a slot
     */
    default void itemStarted(String jobId, BatchItem<?> item, String slot) {
    }

    /**
     * An item of a running job reached a final state.
     *
     * @param progress the item and the job's progress right after it; its {@code etaRemainingMs} is there only
     *        when some listener {@linkplain #wantsItemEstimates() asks for it}
     */
    default void itemFinished(ItemProgress progress) {
    }

    /**
     * @return whether this listener needs the job's remaining-time estimate with every finished item: it costs an
     *         estimate per item, made only while some listener asks for it
     */
    default boolean wantsItemEstimates() {
        return false;
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

    /**
     * The planned order changed; {@code plan} lists the queued jobs in their new order (a {@link PlanView}: read
     * when it is first read, so a listener delivered late may see a later plan).
     */
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
     * @param slot the slot that ran the item, or {@code null} (not a slot, or the item was cancelled)
     */
    record ItemProgress(String jobId, BatchItem<?> item, int completed, int total, Long etaRemainingMs,
            String slot) {
    }

    /**
     * No notifications are waiting for delivery: a listener that holds back coalesced notifications delivers
     * them now. Called on the delivering thread, in order with the notifications.
     */
    default void idle() {
    }
}

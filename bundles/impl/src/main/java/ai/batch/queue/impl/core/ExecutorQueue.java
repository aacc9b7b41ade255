package ai.batch.queue.impl.core;

import java.util.Optional;
import java.util.function.Predicate;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.notify.QueueListeners;

/**
 * The queue as the executor sees it. Its writes return without waiting for the change to be durable: with a
 * notification thread, a change is announced only once durable, so nothing is announced that a crash could
 * take back.
 */
public interface ExecutorQueue {

    /**
     * Atomically starts the first planned job whose model the given test accepts, unless the queue is paused.
     *
     * @param runnable whether a job's resource key can run now (e.g. has a handler)
     * @return the started job, or empty if no queued job can run
     */
    default Optional<BatchJob<?>> startNext(Predicate<String> runnable) {
        return startNext(runnable, null);
    }

    /**
     * As {@link #startNext(Predicate)}, for a slot: the start is a model load ({@code resource_switched}, a cold
     * first sample) unless the slot holds the model, and the model before it is the slot's own.
     *
     * @param slot the slot that starts the job, or {@code null} for a runner
     */
    Optional<BatchJob<?>> startNext(Predicate<String> runnable, SlotStart slot);

    /**
     * The slot that starts a job.
     *
     * @param lastModel the model it ran last, or {@code null} before its first job
     * @param holds the models it holds now
     */
    record SlotStart(String lastModel, java.util.Set<String> holds) {
    }

    /**
     * As {@link ai.batch.queue.BatchQueue#updateItem}, but tells whether the update took effect.
     *
     * @return {@code false} if the item was cancelled (the update is dropped)
     */
    default boolean tryUpdateItem(String jobId, String itemId, BatchItemStatus status, String error,
            Long durationMs, String output) {
        return tryUpdateItem(jobId, itemId, status, error, durationMs, output, null, null);
    }

    /**
     * As {@link #tryUpdateItem(String, String, BatchItemStatus, String, Long, String)}, for a slot's item.
     *
     * @param slot the slot ({@code ai.batch.slot}) whose handler runs the item, for its events, or {@code null}
     * @param cold whether the item's duration includes a model load (a slot's first item on a model it did not
     *        hold); {@code null}: the job's own reckoning (its first item after its start loaded the model)
     */
    boolean tryUpdateItem(String jobId, String itemId, BatchItemStatus status, String error, Long durationMs,
            String output, String slot, Boolean cold);

    /**
     * A running item failed in a way that may pass: it goes back to PENDING, keeping its error and attempt
     * count, for the executor to try again after a backoff.
     *
     * @return {@code false} if the item was cancelled meanwhile
     * @throws IllegalStateException if the item or its job is not RUNNING
     */
    default boolean retryLater(String jobId, String itemId, String error, Long durationMs) {
        return retryLater(jobId, itemId, error, durationMs, null);
    }

    /**
     * As {@link #retryLater(String, String, String, Long)}, naming the slot that ran the item.
     *
     * @param slot the slot whose handler ran the item, or {@code null} for none
     */
    boolean retryLater(String jobId, String itemId, String error, Long durationMs, String slot);

    /** As {@link ai.batch.queue.BatchQueue#markCompleted}. */
    BatchCompletionSummary finishRunning(String jobId);

    /**
     * Puts a running job back in the queue because it cannot go on now (its handler went away, or the queue is
     * stopping): RUNNING items become PENDING again (they will run again: at-least-once), the job becomes
     * QUEUED at its old place in enqueue order. Does nothing unless the job is RUNNING.
     */
    void requeueRunning(String jobId, QueueListener.QueuedCause cause);

    /**
     * The work of every queued job, in the plan's order, then of every running job: what slots claim from.
     *
     * @return one entry per job
     */
    java.util.List<JobDemand> demand();

    /**
     * One job's work, as a slot's claim needs it.
     *
     * @param jobId the job
     * @param model its resource key
     * @param running whether it is RUNNING (else QUEUED)
     * @param openItems its items not yet final
     * @param remainingMs the estimated work of those items; {@code NaN} when unknown
     * @param loadMs the model's learned load time; {@code NaN} when unknown
     * @param aged whether it waited past the planner's maximum wait
     */
    record JobDemand(String jobId, String model, boolean running, int openItems, double remainingMs,
            double loadMs, boolean aged) {
    }

    /**
     * Tells the estimates how many slots share each model's jobs.
     *
     * @param slots the slots serving a model (1 when a plain handler runs it), or {@code null} for 1
     */
    void setSlotsServing(java.util.function.ToIntFunction<String> slots);

    /** @return a job's status without building a snapshot, or empty for an unknown id */
    Optional<BatchJobStatus> jobStatus(String jobId);

    /** @return the class name of a job's item data still held as JSON after a restore, or empty */
    Optional<String> restoredDataType(String jobId);

    /** @return whether the queue is paused (a running job waits between items) */
    boolean isPaused();

    /** @return where listeners are registered */
    QueueListeners listeners();
}

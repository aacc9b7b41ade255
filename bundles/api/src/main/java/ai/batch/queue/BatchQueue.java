package ai.batch.queue;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The batch queue: one service per framework, safe for any number of threads.
 *
 * <h2>Planning</h2>
 * Queued jobs are grouped by resource key so that each model loads once. The planned order is: first the group
 * of the model that is running or ran last, then the other groups in the order of their oldest queued job;
 * inside a group, enqueue order. On top of that (since 1.1): jobs moved with {@link #moveToFront} run first;
 * then any job that has waited longer than the configured maximum wait ({@code planner.maxWaitMs}), oldest
 * first, so that no job starves while other models keep arriving; then higher {@link JobPriority priorities}.
 * A job that runs ahead of a job enqueued before it is flagged {@link BatchJob#reordered()} with a
 * {@link BatchJob#reorderNote()} saying why. Running and finished jobs never move.
 *
 * <h2>Running</h2>
 * By default the queue runs jobs itself with the {@link ai.batch.queue.handler.BatchItemHandler} registered
 * for each job's model. With the executor switched off (configuration PID {@code ai.batch.queue},
 * {@code executor.enabled=false}), the caller drives jobs through {@link #markRunning}, {@link #updateItem}
 * and {@link #markCompleted}.
 *
 * <h2>Errors</h2>
 * Every method either succeeds or throws and leaves the queue unchanged:
 * <ul>
 * <li>an unknown job or item id given to a mutating method: {@link NoSuchElementException} naming the id;</li>
 * <li>a transition the state machine forbids: {@link IllegalStateException} naming the job or item and both
 * states;</li>
 * <li>bad arguments: {@link IllegalArgumentException}, or {@link NullPointerException} for a {@code null}.</li>
 * </ul>
 * An update to an item that is already CANCELLED returns normally and changes nothing, even when its job is
 * finished: cancellation wins.
 */
@ProviderType
public interface BatchQueue {

    /**
     * Adds a job and re-plans the queued jobs.
     *
     * @param job a job built with {@link BatchJob#of}; its items must be PENDING
     * @return the job's id: the caller's (from {@link BatchJob#withId}) or, if blank, a new UUID
     * @throws NullPointerException if the job, its policy, an item or an item's size bucket is null
     * @throws IllegalArgumentException for a null or blank resource key or operation, a null or empty item
     *         list, a null, blank or duplicate item id, an item that is not PENDING, or a job id already in use
     */
    String enqueue(BatchJob<?> job);

    /**
     * The queued job that is planned to run next. It is not claimed.
     *
     * @return the first job of the plan, or empty when nothing is queued
     */
    Optional<BatchJob<?>> nextQueued();

    /**
     * Marks a queued job as running and sets its {@code startedAt}. Its model becomes the loaded model, whose
     * group the planner puts first.
     *
     * @param jobId the job
     * @throws NoSuchElementException for an unknown id
     * @throws IllegalStateException if the job is not QUEUED
     */
    void markRunning(String jobId);

    /**
     * Records an item's new state. A COMPLETED item with a duration adds one sample to the ETA statistics of
     * (resource key, operation, the item's size bucket).
     *
     * <p>Allowed transitions: PENDING to RUNNING; PENDING or RUNNING to COMPLETED, FAILED, SKIPPED or
     * CANCELLED; only while the job is QUEUED or RUNNING. An item that is already CANCELLED ignores the call.
     *
     * @param jobId the job
     * @param itemId the item
     * @param status the new status, never PENDING
     * @param error why it failed, or {@code null}
     * @param durationMs how long processing took in milliseconds, or {@code null}; not negative
     * @throws NoSuchElementException for an unknown job or item id
     * @throws IllegalStateException for a forbidden transition
     * @throws NullPointerException if {@code status} is null
     * @throws IllegalArgumentException if {@code durationMs} is negative
     */
    void updateItem(String jobId, String itemId, BatchItemStatus status, String error, Long durationMs);

    /**
     * As {@link #updateItem(String, String, BatchItemStatus, String, Long)}, also keeping the handler's output
     * with the item ({@link BatchItem#output()}).
     *
     * @param jobId the job
     * @param itemId the item
     * @param status the new status, never PENDING
     * @param error why it failed, or {@code null}
     * @param durationMs processing time in milliseconds, or {@code null}; not negative
     * @param output the result to keep, or {@code null}
     */
    void updateItem(String jobId, String itemId, BatchItemStatus status, String error, Long durationMs,
            String output);

    /**
     * Finishes a job. A RUNNING job becomes COMPLETED_WITH_ERRORS if any item FAILED, else COMPLETED, and gets
     * its {@code completedAt}. A CANCELLED job stays CANCELLED and keeps its {@code completedAt}.
     *
     * @param jobId the job
     * @return the job's summary (see {@link BatchCompletionSummary} for the arithmetic)
     * @throws NoSuchElementException for an unknown id
     * @throws IllegalStateException if the job is QUEUED, COMPLETED or COMPLETED_WITH_ERRORS
     */
    BatchCompletionSummary markCompleted(String jobId);

    /**
     * Cancels a job: its PENDING and RUNNING items become CANCELLED, the job becomes CANCELLED and gets its
     * {@code completedAt}. A running item's handler is told to stop ({@code ItemContext.isCancelled()} and a
     * thread interrupt) and its late result is discarded. Cancelling a CANCELLED job does nothing.
     *
     * @param jobId the job
     * @throws NoSuchElementException for an unknown id
     * @throws IllegalStateException if the job is COMPLETED or COMPLETED_WITH_ERRORS
     */
    void cancelJob(String jobId);

    /**
     * Cancels one PENDING or RUNNING item; a running item's handler is told to stop and its late result is
     * discarded. Cancelling a CANCELLED item does nothing.
     *
     * @param jobId the job
     * @param itemId the item
     * @throws NoSuchElementException for an unknown job or item id
     * @throws IllegalStateException if the item is COMPLETED, FAILED or SKIPPED
     */
    void cancelItem(String jobId, String itemId);

    /**
     * Re-queues the FAILED items of a finished job: they become PENDING with error and duration cleared, the job
     * becomes QUEUED with {@code completedAt} cleared, and the plan counts it as enqueued now. Only those items
     * run again; COMPLETED, SKIPPED and CANCELLED items keep their results.
     *
     * @param jobId the job
     * @throws NoSuchElementException for an unknown id
     * @throws IllegalStateException if the job is not finished or has no FAILED item
     */
    void retryFailed(String jobId);

    /**
     * Snapshots of all jobs. Queued jobs appear in planned run order relative to each other; other jobs keep
     * their enqueue order.
     *
     * @return an unmodifiable list
     */
    List<BatchJob<?>> listJobs();

    /**
     * A snapshot of one job.
     *
     * @param jobId the job id
     * @return the job, or empty for an unknown (or null) id
     */
    Optional<BatchJob<?>> getJob(String jobId);

    /**
     * Estimates how long the job's PENDING and RUNNING items will take, from the durations of completed items
     * with the same resource key and operation. Each item is estimated from its own size bucket, else from the
     * UNKNOWN bucket, else from the other buckets of that resource key and operation.
     *
     * @param jobId the job id
     * @return 0 when nothing remains; empty for an unknown id or when no sample can estimate any remaining
     *         item; otherwise the sum of the per-item estimates, in milliseconds
     */
    OptionalLong estimateRemainingMs(String jobId);

    /**
     * The number of timing samples recorded for exactly this key.
     *
     * @param resourceKey the model
     * @param operation the operation
     * @param bucket the size bucket
     * @return the sample count, 0 if none
     */
    long etaSampleCount(String resourceKey, String operation, SizeBucket bucket);

    /**
     * When a job is expected to start and finish: the remaining work of the jobs planned before it, the model
     * loads between them, and its own work. See {@link BatchEstimate}.
     *
     * @param jobId the job id
     * @return the estimate, or empty for an unknown (or null) id
     * @since 1.1
     */
    Optional<BatchEstimate> estimate(String jobId);

    /**
     * Pauses the queue: no job starts, and a running job stops between items (the item being processed
     * finishes). Queued and running jobs stay as they are. Pausing a paused queue does nothing.
     *
     * @since 1.1
     */
    void pause();

    /**
     * Resumes a paused queue. Resuming a running queue does nothing.
     *
     * @since 1.1
     */
    void resume();

    /**
     * @return whether the queue is paused
     * @since 1.1
     */
    boolean isPaused();

    /**
     * Moves a queued job to the front of the plan: it runs next, before the planner's own choices (the latest
     * job moved runs first).
     *
     * @param jobId the job
     * @throws NoSuchElementException for an unknown id
     * @throws IllegalStateException if the job is not QUEUED
     * @since 1.1
     */
    void moveToFront(String jobId);

    /**
     * Changes a queued job's priority and re-plans.
     *
     * @param jobId the job
     * @param priority the new priority
     * @throws NoSuchElementException for an unknown id
     * @throws NullPointerException if {@code priority} is null
     * @throws IllegalStateException if the job is not QUEUED
     * @since 1.1
     */
    void setPriority(String jobId, JobPriority priority);

    /**
     * Removes a finished job (COMPLETED, COMPLETED_WITH_ERRORS or CANCELLED) and its items for good, from memory
     * and from the journal.
     *
     * @param jobId the job
     * @throws NoSuchElementException for an unknown id
     * @throws IllegalStateException if the job is QUEUED or RUNNING
     * @since 1.1
     */
    void purge(String jobId);

    /**
     * Removes every finished job that finished before the given time (retention does this by itself, see the
     * {@code retention.*} configuration).
     *
     * @param finishedBefore a point in time; {@code Instant.MAX} removes every finished job
     * @return how many jobs were removed
     * @since 1.1
     */
    int purgeFinished(java.time.Instant finishedBefore);

    /** @return whether any job is RUNNING */
    boolean hasRunningJob();

    /** @return the number of QUEUED jobs */
    int queuedCount();
}

package ai.batch.queue.impl.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import ai.batch.queue.BatchJob;
import ai.batch.queue.impl.notify.NotificationThread;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.notify.QueueListeners;
import ai.batch.queue.impl.plan.JobPlanner;

/**
 * The queue as the component that runs it, its journal and its recovery see it: listeners and how they are
 * told, where changes are recorded, replay of recorded changes, checkpoints, retention and the planner.
 */
public interface QueueAdmin {

    /** @return where listeners are registered */
    QueueListeners listeners();

    /**
     * Delivers notifications from now on on a thread of their own, each once the change it reports is durable,
     * instead of on the writing threads (see {@link NotificationThread}).
     *
     * @param capacity the most notifications waiting for delivery before writers wait for room
     * @param maxWaitMs the longest a writer waits for room
     * @param threadName the delivering thread's name
     */
    void deliverOnThread(int capacity, long maxWaitMs, String threadName);

    /** Waits until the notifications of every write so far are delivered (at most 30 s). */
    void flushNotifications();

    /** Delivers what is left and stops the notification thread, if any; later writes notify on their thread. */
    void closeNotifications();

    /**
     * Runs a task in order with the notifications of the writes before and after it (on the notification thread
     * when there is one), e.g. to deliver an event that does not come from a change.
     */
    void runInOrder(Runnable task);

    /** Records changes from now on (for instance after a replay that must not be recorded again). */
    void setChangeLog(ChangeLog log);

    /** Applies a recorded change again, through the same transitions that made it. */
    void replay(Change change);

    /**
     * Records that a job's item data was restored from the journal as JSON, because its class ({@code typeName})
     * is not a JDK type; a handler declaring that class converts it.
     */
    void setRestoredDataType(String jobId, String typeName);

    /**
     * Records a checkpoint (the jobs alive and everything learned), after which a journal can drop the records
     * of jobs that are gone.
     */
    void checkpoint();

    /**
     * Puts every running job back in the queue.
     *
     * @return how many there were
     */
    int requeueAllRunning(QueueListener.QueuedCause cause);

    /** @return how many jobs the queue holds */
    int jobCount();

    /** @return a snapshot of a job, or empty if there is none with this id */
    Optional<BatchJob<?>> job(String jobId);

    /** @return snapshots of every job, in the queue's order */
    List<BatchJob<?>> jobs();

    /**
     * Keeps at most {@code maxFinished} finished jobs, none finished more than {@code maxAge} ago; the oldest
     * go first.
     *
     * @return how many jobs were removed
     */
    int applyRetention(Duration maxAge, int maxFinished);

    /**
     * Records how long a runtime took to load a model on the queue's request; it teaches the estimates the
     * model's load time.
     *
     * @throws IllegalArgumentException for a negative time
     */
    void recordLoadTime(String resourceKey, long ms);

    /** @return the learned load time of a model in ms, or empty while none is known */
    OptionalDouble loadTimeMs(String resourceKey);

    /**
     * Sets the models runtimes report as loaded: the plan treats them as free to switch to, and a job starting on
     * one of them is not expected to pay a load.
     */
    void setResidentModels(Set<String> models);

    /**
     * The next model switch in the plan.
     *
     * @param model the model running now
     * @param limit how many planned jobs to look at, at most
     * @return the first planned job whose model is another one, or empty
     */
    Optional<BatchJob<?>> firstQueuedOfAnotherModel(String model, int limit);

    /** @return the models of the jobs queued or running now */
    Set<String> modelsWithWork();

    /** Plans with another planner from now on (a new configuration); queued jobs are re-planned at once. */
    void setPlanner(JobPlanner planner);
}

package ai.batch.queue.impl.core;

/**
 * Does something with each kind of {@link Change}: one method per kind, so that the compiler tells every
 * visitor about a new kind.
 *
 * @param <R> the result type
 */
public interface ChangeVisitor<R> {

    R enqueued(Change.Enqueued change);

    R started(Change.Started change);

    R itemUpdated(Change.ItemUpdated change);

    R retryScheduled(Change.RetryScheduled change);

    R completed(Change.Completed change);

    R jobCancelled(Change.JobCancelled change);

    R itemCancelled(Change.ItemCancelled change);

    R retried(Change.Retried change);

    R requeued(Change.Requeued change);

    R pauseChanged(Change.PauseChanged change);

    R moved(Change.Moved change);

    R priorityChanged(Change.PriorityChanged change);

    R checkpoint(Change.Checkpoint change);

    R purged(Change.Purged change);

    R loadMeasured(Change.LoadMeasured change);
}

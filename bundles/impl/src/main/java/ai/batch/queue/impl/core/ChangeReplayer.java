package ai.batch.queue.impl.core;

import ai.batch.queue.BatchQueue;

/**
 * Applies a recorded change again through the same methods that made it, each at the change's time (the
 * journal fixes the clock): replaying the changes in order rebuilds the queue, its plan and what it learned.
 */
final class ChangeReplayer implements ChangeVisitor<Void> {

    private final BatchQueue queue;
    private final ExecutorQueue executor;
    private final Steering steering;
    private final WriteGate gate;

    ChangeReplayer(BatchQueue queue, ExecutorQueue executor, Steering steering, WriteGate gate) {
        this.queue = queue;
        this.executor = executor;
        this.steering = steering;
        this.gate = gate;
    }

    @Override
    public Void enqueued(Change.Enqueued change) {
        queue.enqueue(change.job());
        return null;
    }

    @Override
    public Void started(Change.Started change) {
        queue.markRunning(change.jobId());
        return null;
    }

    @Override
    public Void itemUpdated(Change.ItemUpdated change) {
        queue.updateItem(change.jobId(), change.itemId(), change.status(), change.error(), change.durationMs(),
                change.output());
        return null;
    }

    @Override
    public Void retryScheduled(Change.RetryScheduled change) {
        executor.retryLater(change.jobId(), change.itemId(), change.error(), change.durationMs(), null);
        return null;
    }

    @Override
    public Void completed(Change.Completed change) {
        queue.markCompleted(change.jobId());
        return null;
    }

    @Override
    public Void jobCancelled(Change.JobCancelled change) {
        queue.cancelJob(change.jobId());
        return null;
    }

    @Override
    public Void itemCancelled(Change.ItemCancelled change) {
        queue.cancelItem(change.jobId(), change.itemId());
        return null;
    }

    @Override
    public Void retried(Change.Retried change) {
        queue.retryFailed(change.jobId());
        return null;
    }

    @Override
    public Void requeued(Change.Requeued change) {
        executor.requeueRunning(change.jobId(), change.cause());
        return null;
    }

    @Override
    public Void pauseChanged(Change.PauseChanged change) {
        if (change.paused()) {
            queue.pause();
        } else {
            queue.resume();
        }
        return null;
    }

    @Override
    public Void moved(Change.Moved change) {
        queue.moveToFront(change.jobId());
        return null;
    }

    @Override
    public Void priorityChanged(Change.PriorityChanged change) {
        queue.setPriority(change.jobId(), change.priority());
        return null;
    }

    @Override
    public Void checkpoint(Change.Checkpoint change) {
        gate.write(() -> {
            steering.restore(change.statistics());
            return null;
        });
        return null;
    }

    @Override
    public Void loadMeasured(Change.LoadMeasured change) {
        gate.write(() -> {
            steering.recordLoadTime(change.resourceKey(), change.ms());
            return null;
        });
        return null;
    }

    @Override
    public Void purged(Change.Purged change) {
        queue.purge(change.jobId());
        return null;
    }
}

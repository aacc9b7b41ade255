package ai.batch.queue.impl.core;

import java.time.Instant;
import java.util.Set;

import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.JobPriority;
import ai.batch.queue.impl.estimate.DurationModel;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * One accepted change of the queue, as the {@link ChangeLog} records it. Replaying the changes in order through
 * the queue's own methods, each at its time, rebuilds the queue, its plan and its timing statistics.
 */
public sealed interface Change {

    /** @return when the change happened */
    Instant at();

    /**
     * Hands the change to the visitor's method for its kind. Every kind implements this, so a new kind cannot be
     * added without a {@link ChangeVisitor} method, and every visitor (the journal's writer, replay) must then
     * handle it: the compiler checks that none is forgotten.
     */
    <R> R accept(ChangeVisitor<R> visitor);

    /** A job was enqueued with this id. */
    record Enqueued(Instant at, BatchJob<?> job) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.enqueued(this);
        }
    }

    /** A job started ({@code markRunning} or the executor). */
    record Started(Instant at, String jobId) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.started(this);
        }
    }

    /** An item changed state. */
    record ItemUpdated(Instant at, String jobId, String itemId, BatchItemStatus status, String error, Long durationMs,
            String output) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.itemUpdated(this);
        }
    }

    /** A running item failed in a way that may pass and waits for another attempt. */
    record RetryScheduled(Instant at, String jobId, String itemId, String error, Long durationMs) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.retryScheduled(this);
        }
    }

    /** {@code markCompleted}. */
    record Completed(Instant at, String jobId) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.completed(this);
        }
    }

    /** {@code cancelJob}. */
    record JobCancelled(Instant at, String jobId) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.jobCancelled(this);
        }
    }

    /** {@code cancelItem}. */
    record ItemCancelled(Instant at, String jobId, String itemId) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.itemCancelled(this);
        }
    }

    /** {@code retryFailed}. */
    record Retried(Instant at, String jobId) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.retried(this);
        }
    }

    /** A running job went back to the queue. */
    record Requeued(Instant at, String jobId, QueueListener.QueuedCause cause) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.requeued(this);
        }
    }

    /** {@code pause} ({@code paused=true}) or {@code resume}. */
    record PauseChanged(Instant at, boolean paused) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.pauseChanged(this);
        }
    }

    /** {@code moveToFront}. */
    record Moved(Instant at, String jobId) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.moved(this);
        }
    }

    /** {@code setPriority}. */
    record PriorityChanged(Instant at, String jobId, JobPriority priority) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.priorityChanged(this);
        }
    }

    /**
     * A checkpoint: the jobs alive now and everything the queue learned. A journal may drop every earlier record
     * of a job not in {@code liveJobIds}; on replay the checkpoint's statistics replace those rebuilt so far.
     */
    record Checkpoint(Instant at, Set<String> liveJobIds, Statistics statistics) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.checkpoint(this);
        }
    }

    /**
     * What the queue learned beyond its jobs.
     *
     * @param durations the timing model
     * @param loadedResource the model loaded last
     * @param jobsOnLoadedResource jobs in a row on it
     */
    record Statistics(DurationModel.Export durations, String loadedResource, int jobsOnLoadedResource) {
    }

    /** A runtime loaded a model on the queue's request, taking {@code ms}: a sample of the model's load time. */
    record LoadMeasured(Instant at, String resourceKey, long ms) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.loadMeasured(this);
        }
    }

    /** A finished job was removed. */
    record Purged(Instant at, String jobId) implements Change {
        @Override
        public <R> R accept(ChangeVisitor<R> visitor) {
            return visitor.purged(this);
        }
    }
}

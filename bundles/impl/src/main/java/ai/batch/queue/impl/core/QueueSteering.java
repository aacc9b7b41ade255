package ai.batch.queue.impl.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;

/**
 * Steering the queue: pause and resume, moving a job to the front, priorities, the planner itself, and telling
 * listeners when the plan changed.
 */
abstract class QueueSteering extends LockedQueueState {

    QueueSteering(Clock clock, JobPlanner planner, BiConsumer<String, Throwable> onListenerFailure) {
        super(clock, planner, onListenerFailure);
    }

    /** Plans with another planner from now on (a new configuration); queued jobs are re-planned at once. */
    public void setPlanner(JobPlanner planner) {
        Objects.requireNonNull(planner, "planner");
        write(() -> {
            plan.setPlanner(planner, clock.instant());
            return null;
        });
    }

    public void pause() {
        write(() -> {
            if (!paused) {
                paused = true;
                notify(QueueListener::paused);
            }
            return null;
        });
    }

    public void resume() {
        write(() -> {
            if (paused) {
                paused = false;
                notify(QueueListener::resumed);
            }
            return null;
        });
    }

    public boolean isPaused() {
        return read(() -> paused);
    }

    public void moveToFront(String jobId) {
        write(() -> {
            JobRecord record = job(jobId);
            Transitions.requireJob(record, "moveToFront", BatchJobStatus.QUEUED);
            record.frontRank = plan.nextFrontRank();
            plan.replan(null, clock.instant());
            notify(listener -> listener.jobMoved(record.id));
            return null;
        });
    }

    public void setPriority(String jobId, JobPriority priority) {
        write(() -> {
            JobRecord record = job(jobId);
            Objects.requireNonNull(priority, "priority must not be null");
            Transitions.requireJob(record, "setPriority", BatchJobStatus.QUEUED);
            if (record.priority != priority) {
                record.priority = priority;
                record.changed();
                plan.replan(null, clock.instant());
                notify(listener -> listener.priorityChanged(record.id, priority));
            }
            return null;
        });
    }

    @Override
    void afterWrite() {
        if (plan.takeChanged() && hasListeners()) {
            List<BatchJob<?>> planned = new ArrayList<>(plan.jobs().size());
            plan.jobs().forEach(record -> planned.add(record.snapshot()));
            List<BatchJob<?>> view = Collections.unmodifiableList(planned);
            notify(listener -> listener.planChanged(view));
        }
    }
}

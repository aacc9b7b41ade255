package ai.batch.queue.impl.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    /** Counts plan changes, so that a notification can tell whether its plan is still the latest. */
    private long planVersion;

    QueueSteering(Clock clock, JobPlanner planner, BiConsumer<String, Throwable> onListenerFailure) {
        super(clock, planner, onListenerFailure);
    }

    /** Plans with another planner from now on (a new configuration); queued jobs are re-planned at once. */
    public void setPlanner(JobPlanner planner) {
        Objects.requireNonNull(planner, "planner");
        write(() -> {
            plan.setPlanner(planner, now());
            return null;
        });
    }

    public void pause() {
        write(() -> {
            if (!paused) {
                log(new Change.PauseChanged(now(), true));
                paused = true;
                notify(QueueListener::paused);
            }
            return null;
        });
    }

    public void resume() {
        write(() -> {
            if (paused) {
                log(new Change.PauseChanged(now(), false));
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
            log(new Change.Moved(now(), record.id));
            record.frontRank = plan.nextFrontRank();
            plan.replan(null, now());
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
                log(new Change.PriorityChanged(now(), record.id, priority));
                record.priority = priority;
                record.changed();
                plan.replan(null, now());
                notify(listener -> listener.priorityChanged(record.id, priority));
            }
            return null;
        });
    }

    @Override
    void afterWrite() {
        if (plan.takeChanged() && hasListeners()) {
            long version = ++planVersion;
            PlanView view = new PlanView(() -> read(() -> planVersion == version), () -> read(() -> {
                List<BatchJob<?>> planned = new ArrayList<>(plan.jobs().size());
                plan.jobs().forEach(record -> planned.add(record.snapshot()));
                return Collections.unmodifiableList(planned);
            }));
            notify(listener -> listener.planChanged(view));
        }
    }

    public void purge(String jobId) {
        write(() -> {
            JobRecord record = job(jobId);
            Transitions.requireJob(record, "purge", BatchJobStatus.COMPLETED, BatchJobStatus.COMPLETED_WITH_ERRORS,
                    BatchJobStatus.CANCELLED);
            remove(record);
            return null;
        });
    }

    public int purgeFinished(Instant finishedBefore) {
        Objects.requireNonNull(finishedBefore, "finishedBefore");
        return write(() -> {
            List<JobRecord> finished = new ArrayList<>();
            for (JobRecord record : jobs.values()) {
                if (record.status.isFinished() && record.completedAt != null
                        && record.completedAt.isBefore(finishedBefore)) {
                    finished.add(record);
                }
            }
            finished.forEach(this::remove);
            return finished.size();
        });
    }

    /**
     * Keeps at most {@code maxFinished} finished jobs, none finished more than {@code maxAge} ago; the oldest
     * go first.
     *
     * @return how many jobs were removed
     */
    public int applyRetention(Duration maxAge, int maxFinished) {
        return write(() -> {
            // Oldest first, so only the jobs removed are looked at: O(removed), not a scan of the queue.
            Instant oldest = now().minus(maxAge);
            int excess = finished.size() - maxFinished;
            List<JobRecord> expired = new ArrayList<>();
            for (JobRecord record : finished.values()) {
                if (expired.size() >= excess && !record.completedAt.isBefore(oldest)) {
                    break;
                }
                expired.add(record);
            }
            expired.forEach(this::remove);
            return expired.size();
        });
    }

    private void remove(JobRecord record) {
        log(new Change.Purged(now(), record.id));
        jobs.remove(record.id);
        finished.remove(record.id);
        notify(listener -> listener.jobPurged(record.id));
    }

    /**
     * Records a checkpoint (the jobs alive and everything learned), after which a journal can drop the records
     * of jobs that are gone.
     */
    public void checkpoint() {
        write(() -> {
            log(new Change.Checkpoint(now(), new java.util.LinkedHashSet<>(jobs.keySet()),
                    new Change.Statistics(durations.export(), plan.loadedResource(), plan.jobsOnLoadedResource())));
            return null;
        });
    }

    /** Replay of a checkpoint: its statistics replace those rebuilt from the records before it. */
    public void restore(Change.Statistics statistics) {
        write(() -> {
            durations.restore(statistics.durations());
            plan.restoreLoaded(statistics.loadedResource(), statistics.jobsOnLoadedResource(), now());
            return null;
        });
    }
}

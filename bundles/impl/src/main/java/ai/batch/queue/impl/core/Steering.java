package ai.batch.queue.impl.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;
import ai.batch.queue.impl.notify.PlanView;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.plan.JobPlanner;

/**
 * Steering the queue as a whole: pause and resume, moving a job to the front, priorities, the planner, removing
 * finished jobs, checkpoints, and telling listeners when the plan changed. Runs inside one write of the
 * {@link WriteGate}, like {@link JobTransitions}.
 */
final class Steering {

    private final WriteGate gate;
    private final QueueState state;
    /** Counts plan changes, so that a notification can tell whether its plan is still the latest. */
    private long planVersion;

    Steering(WriteGate gate, QueueState state) {
        this.gate = gate;
        this.state = state;
    }

    void setPlanner(JobPlanner planner) {
        state.plan().setPlanner(planner, gate.now());
    }

    void setPaused(boolean paused) {
        if (state.paused() != paused) {
            gate.log(new Change.PauseChanged(gate.now(), paused));
            state.setPaused(paused);
            gate.notify(paused ? QueueListener::paused : QueueListener::resumed);
        }
    }

    void moveToFront(String jobId) {
        JobRecord record = state.job(jobId);
        Transitions.requireJob(record, "moveToFront", BatchJobStatus.QUEUED);
        gate.log(new Change.Moved(gate.now(), record.id()));
        record.moveToFront(state.plan().nextFrontRank());
        state.plan().replan(null, gate.now());
        gate.notify(listener -> listener.jobMoved(record.id()));
    }

    void setPriority(String jobId, JobPriority priority) {
        JobRecord record = state.job(jobId);
        Objects.requireNonNull(priority, "priority must not be null");
        Transitions.requireJob(record, "setPriority", BatchJobStatus.QUEUED);
        if (record.priority() != priority) {
            gate.log(new Change.PriorityChanged(gate.now(), record.id(), priority));
            record.setPriority(priority);
            state.plan().replan(null, gate.now());
            gate.notify(listener -> listener.priorityChanged(record.id(), priority));
        }
    }

    /** Run at the end of every write: a changed plan is announced, its snapshots taken only when read. */
    void afterWrite() {
        if (state.plan().takeChanged() && gate.hasListeners()) {
            long version = ++planVersion;
            PlanView view = new PlanView(() -> gate.read(() -> planVersion == version), () -> gate.read(() -> {
                List<BatchJob<?>> planned = new ArrayList<>(state.plan().jobs().size());
                state.plan().jobs().forEach(record -> planned.add(record.snapshot()));
                return Collections.unmodifiableList(planned);
            }));
            gate.notify(listener -> listener.planChanged(view));
        }
    }

    void purge(String jobId) {
        JobRecord record = state.job(jobId);
        Transitions.requireJob(record, "purge", BatchJobStatus.COMPLETED, BatchJobStatus.COMPLETED_WITH_ERRORS,
                BatchJobStatus.CANCELLED);
        remove(record);
    }

    int purgeFinished(Instant finishedBefore) {
        List<JobRecord> finished = new ArrayList<>();
        for (JobRecord record : state.jobs()) {
            if (record.status().isFinished() && record.completedAt() != null
                    && record.completedAt().isBefore(finishedBefore)) {
                finished.add(record);
            }
        }
        finished.forEach(this::remove);
        return finished.size();
    }

    /** Keeps at most {@code maxFinished} finished jobs, none finished more than {@code maxAge} ago. */
    int applyRetention(Duration maxAge, int maxFinished) {
        // Oldest first, so only the jobs removed are looked at: O(removed), not a scan of the queue.
        Instant oldest = gate.now().minus(maxAge);
        int excess = state.finished().size() - maxFinished;
        List<JobRecord> expired = new ArrayList<>();
        for (JobRecord record : state.finished()) {
            if (expired.size() >= excess && !record.completedAt().isBefore(oldest)) {
                break;
            }
            expired.add(record);
        }
        expired.forEach(this::remove);
        return expired.size();
    }

    private void remove(JobRecord record) {
        gate.log(new Change.Purged(gate.now(), record.id()));
        state.removed(record);
        gate.notify(listener -> listener.jobPurged(record.id()));
    }

    /** A measured model load: recorded, and a sample of the model's load time for the estimates. */
    void recordLoadTime(String resourceKey, long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("a load time must not be negative, was " + ms + " for '"
                    + resourceKey + "'");
        }
        gate.log(new Change.LoadMeasured(gate.now(), resourceKey, ms));
        state.durations().recordLoad(resourceKey, ms);
    }

    /** Sets the models runtimes report as loaded (not recorded: a runtime is asked again after a restart). */
    void setResident(Set<String> models) {
        state.plan().setResident(models, gate.now());
    }

    void checkpoint() {
        gate.log(new Change.Checkpoint(gate.now(), new LinkedHashSet<>(state.jobIds()),
                new Change.Statistics(state.durations().export(), state.plan().loadedResource(),
                        state.plan().jobsOnLoadedResource())));
    }

    /** Replay of a checkpoint: its statistics replace those rebuilt from the records before it. */
    void restore(Change.Statistics statistics) {
        state.durations().restore(statistics.durations());
        state.plan().restoreLoaded(statistics.loadedResource(), statistics.jobsOnLoadedResource(), gate.now());
    }
}

package ai.batch.queue.impl.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import ai.batch.queue.impl.estimate.DurationModel;
import ai.batch.queue.impl.estimate.Estimator;
import ai.batch.queue.impl.plan.JobPlanner;
import ai.batch.queue.impl.plan.PlanState;

/**
 * What the queue holds: its jobs (in enqueue order), which of them run and which finished (in the order they
 * finished, for retention without a scan), the plan, the timing model and the pause flag. Guarded by the
 * queue's lock ({@link WriteGate}); the transitions change it only through these named methods.
 */
final class QueueState {

    private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
    private final Map<String, JobRecord> running = new HashMap<>();
    private final Map<String, JobRecord> finished = new LinkedHashMap<>();
    private final PlanState<JobRecord> plan;
    private final DurationModel durations = new DurationModel();
    private final Estimator estimator = new Estimator(durations);
    private long nextSeq;
    private boolean paused;

    QueueState(JobPlanner planner) {
        this.plan = new PlanState<>(planner);
    }

    PlanState<JobRecord> plan() {
        return plan;
    }

    DurationModel durations() {
        return durations;
    }

    Estimator estimator() {
        return estimator;
    }

    /** @return the job, never {@code null} */
    JobRecord job(String jobId) {
        JobRecord record = find(jobId);
        if (record == null) {
            throw new NoSuchElementException("No job with id '" + jobId + "'");
        }
        return record;
    }

    /** @return the job, or {@code null} for an unknown or null id */
    JobRecord find(String jobId) {
        return jobId == null ? null : jobs.get(jobId);
    }

    boolean contains(String jobId) {
        return jobs.containsKey(jobId);
    }

    /** @return every job in enqueue order (read-only use) */
    Collection<JobRecord> jobs() {
        return jobs.values();
    }

    /** @return the running jobs (read-only use) */
    Collection<JobRecord> running() {
        return running.values();
    }

    /** @return the finished jobs, oldest end first (read-only use) */
    Collection<JobRecord> finished() {
        return finished.values();
    }

    /** @return the next place in enqueue order */
    long nextSeq() {
        return nextSeq++;
    }

    void added(JobRecord record) {
        jobs.put(record.id(), record);
    }

    void started(JobRecord record) {
        running.put(record.id(), record);
    }

    /** A running job went back to the queue. */
    void requeued(JobRecord record) {
        running.remove(record.id());
    }

    /** A job finished (again): it goes last among the finished ones. */
    void ended(JobRecord record) {
        running.remove(record.id());
        finished.remove(record.id());
        finished.put(record.id(), record);
    }

    /** A finished job was queued again. */
    void reopened(JobRecord record) {
        finished.remove(record.id());
    }

    void removed(JobRecord record) {
        jobs.remove(record.id());
        finished.remove(record.id());
    }

    boolean paused() {
        return paused;
    }

    void setPaused(boolean value) {
        paused = value;
    }

    /** @return the ids of every job, for a checkpoint */
    List<String> jobIds() {
        return new ArrayList<>(jobs.keySet());
    }

    int size() {
        return jobs.size();
    }
}

package ai.batch.queue.sim.run;

import ai.batch.queue.sim.trace.JobSpec;

/** One run of a job: from its enqueue (or retry) to its last item. Times in simulated ms. */
public final class JobRun {

    final JobSpec job;
    final int attempt;
    /** Place in enqueue order, counted like the queue counts it (a retry is a new enqueue). */
    final long seq;
    final long waitStartMs;
    long startMs = -1;
    long endMs = -1;
    boolean loadedModel;
    /** It loaded its model although the model it replaced still had queued jobs. */
    boolean leftQueuedWork;
    boolean plannedOverdue;

    JobRun(JobSpec job, int attempt, long seq, long waitStartMs) {
        this.job = job;
        this.attempt = attempt;
        this.seq = seq;
        this.waitStartMs = waitStartMs;
    }

    public JobSpec job() {
        return job;
    }

    public int attempt() {
        return attempt;
    }

    public long waitStartMs() {
        return waitStartMs;
    }

    public long startMs() {
        return startMs;
    }

    public long endMs() {
        return endMs;
    }

    public long waitMs() {
        return startMs - waitStartMs;
    }

    /** @return whether it loaded its model although the model it replaced still had queued jobs */
    public boolean leftQueuedWork() {
        return leftQueuedWork;
    }

    /** @return whether the planner ever placed it as having waited too long */
    public boolean plannedOverdue() {
        return plannedOverdue;
    }
}

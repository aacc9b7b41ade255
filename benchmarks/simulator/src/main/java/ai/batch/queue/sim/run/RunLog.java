package ai.batch.queue.sim.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What happened in one simulated run: job runs, busy periods, and the estimates taken along the way. */
public final class RunLog {

    /**
     * A remaining-time estimate taken when a run's finished items first reached {@code percent} of its items.
     *
     * @param queueMs the queue's estimate, or {@code null} if it had none
     * @param seedMs the seed estimator's
     */
    public record Checkpoint(JobRun run, int percent, long atMs, Long queueMs, long seedMs) {
        public long actualMs() {
            return run.endMs - atMs;
        }
    }

    /** The queue's expected wait of a job at its enqueue ({@code null}: no estimate), against its real wait. */
    public record StartEstimate(JobRun run, Long estimatedWaitMs) {
        public long actualMs() {
            return run.waitMs();
        }
    }

    final List<JobRun> runs = new ArrayList<>();
    final List<BusyPeriod> periods = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();
    final List<StartEstimate> startEstimates = new ArrayList<>();
    private final Map<Long, JobRun> bySeq = new HashMap<>();
    private BusyPeriod open;

    /** A job became QUEUED at {@code run.waitStartMs} while {@code gpuModel} was loaded. */
    void enqueued(JobRun run, String gpuModel) {
        runs.add(run);
        bySeq.put(run.seq, run);
        if (open == null) {
            open = new BusyPeriod(run.waitStartMs, gpuModel);
            periods.add(open);
        }
        if (open.startMs == run.waitStartMs) {
            open.firstInstantModels.add(run.job.model());
        }
    }

    void started(JobRun run) {
        open.models.add(run.job.model());
        if (run.loadedModel) {
            open.loads++;
        }
        if (run.leftQueuedWork) {
            open.needlessSwitches++;
        }
    }

    /** Nothing is queued or running any more. */
    void idleAt(long ms) {
        if (open != null) {
            open.endMs = ms;
            open = null;
        }
    }

    /** The planner placed the run with that enqueue number as having waited too long. */
    void overduePlanned(long seq) {
        JobRun run = bySeq.get(seq);
        if (run != null && run.startMs < 0) {
            run.plannedOverdue = true;
        }
        if (open != null) {
            open.boundBinds = true;
        }
    }

    void checkpoint(Checkpoint checkpoint) {
        checkpoints.add(checkpoint);
    }

    void startEstimate(StartEstimate estimate) {
        startEstimates.add(estimate);
    }

    public List<JobRun> runs() {
        return List.copyOf(runs);
    }

    public List<BusyPeriod> periods() {
        return List.copyOf(periods);
    }

    public List<Checkpoint> checkpoints() {
        return List.copyOf(checkpoints);
    }

    public List<StartEstimate> startEstimates() {
        return List.copyOf(startEstimates);
    }
}

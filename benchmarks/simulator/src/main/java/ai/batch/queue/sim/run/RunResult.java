package ai.batch.queue.sim.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.batch.queue.sim.policy.Policy;

/**
 * The metrics of one policy on one trace.
 *
 * @param policy the policy
 * @param loads model loads
 * @param lowerBound the sum of the busy periods' lower bounds
 * @param simpleLowerBound the same without the work-conserving argument
 * @param unboundLoads loads in busy periods where the wait bound did not bind
 * @param unboundLowerBound the lower bound of those periods
 * @param needlessSwitches loads that left queued jobs of the replaced model behind
 * @param unboundNeedlessSwitches those in busy periods where the wait bound did not bind
 * @param makespanMs from time 0 to the end of the last run
 * @param waits each job's wait: first start minus enqueue
 * @param remainingQueue MAPE of the queue's remaining-time estimate per progress percentage
 * @param remainingSeed the same for the seed's estimator, on the same checkpoints
 * @param start MAPE of the queue's expected start at enqueue, over jobs that waited
 * @param overdueRuns runs the planner placed as having waited too long
 * @param waitBound the wait bound checked against the maximum wait of the model-aware policy
 * @param log everything recorded
 */
public record RunResult(Policy policy, int loads, int lowerBound, int simpleLowerBound, int unboundLoads,
        int unboundLowerBound, int needlessSwitches, int unboundNeedlessSwitches, long makespanMs, long[] waits,
        Map<Integer, Mape> remainingQueue, Map<Integer, Mape> remainingSeed, Mape start, int overdueRuns,
        WaitBoundCheck waitBound, RunLog log) {

    /** Progress points, in percent of a run's items, at which remaining-time estimates are compared. */
    public static final int[] PROGRESS = {10, 25, 50, 75};

    static RunResult of(Policy policy, RunLog log, long maxWaitMs) {
        int loads = 0;
        int lb = 0;
        int simpleLb = 0;
        int unboundLoads = 0;
        int unboundLb = 0;
        int needless = 0;
        int unboundNeedless = 0;
        for (BusyPeriod period : log.periods) {
            loads += period.loads;
            lb += period.lowerBound();
            simpleLb += period.simpleLowerBound();
            needless += period.needlessSwitches;
            if (!period.boundBinds) {
                unboundLoads += period.loads;
                unboundLb += period.lowerBound();
                unboundNeedless += period.needlessSwitches;
            }
        }
        long makespan = log.runs.stream().mapToLong(run -> run.endMs).max().orElse(0);
        long[] waits = log.runs.stream().filter(run -> run.attempt == 0).mapToLong(JobRun::waitMs).toArray();
        Map<Integer, Mape> queue = new LinkedHashMap<>();
        Map<Integer, Mape> seed = new LinkedHashMap<>();
        for (int percent : PROGRESS) {
            queue.put(percent, remaining(log, percent, true));
            seed.put(percent, remaining(log, percent, false));
        }
        int overdue = (int) log.runs.stream().filter(JobRun::plannedOverdue).count();
        return new RunResult(policy, loads, lb, simpleLb, unboundLoads, unboundLb, needless, unboundNeedless,
                makespan, waits, queue, seed,
                start(log), overdue, WaitBoundCheck.of(log.runs, maxWaitMs), log);
    }

    /** Compares at the checkpoints where the queue had an estimate, for both estimators alike. */
    private static Mape remaining(RunLog log, int percent, boolean queueEstimator) {
        List<long[]> pairs = new ArrayList<>();
        int missing = 0;
        for (RunLog.Checkpoint checkpoint : log.checkpoints) {
            if (checkpoint.percent() != percent) {
                continue;
            }
            if (checkpoint.queueMs() == null) {
                missing++;
                continue;
            }
            long estimate = queueEstimator ? checkpoint.queueMs() : checkpoint.seedMs();
            pairs.add(new long[] {estimate, checkpoint.actualMs()});
        }
        return new Mape(Stats.mape(pairs), pairs.size(), missing);
    }

    private static Mape start(RunLog log) {
        List<long[]> pairs = new ArrayList<>();
        int missing = 0;
        for (RunLog.StartEstimate estimate : log.startEstimates) {
            if (estimate.actualMs() <= 0) {
                continue;
            }
            if (estimate.estimatedWaitMs() == null) {
                missing++;
            } else {
                pairs.add(new long[] {estimate.estimatedWaitMs(), estimate.actualMs()});
            }
        }
        return new Mape(Stats.mape(pairs), pairs.size(), missing);
    }

    public double meanWaitMs() {
        return Stats.mean(waits);
    }

    public long p95WaitMs() {
        return Stats.percentile(waits, 95);
    }

    public long maxWaitMs() {
        return Stats.max(waits);
    }

    /** @return whether some busy period had the wait bound bind */
    public boolean boundBinds() {
        return log.periods.stream().anyMatch(BusyPeriod::boundBinds);
    }
}

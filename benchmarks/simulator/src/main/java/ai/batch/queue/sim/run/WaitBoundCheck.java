package ai.batch.queue.sim.run;

import java.util.List;

/**
 * Checks the wait bound of a run against a maximum wait. A run's deadline is its wait start plus the maximum
 * wait. Two forms:
 * <ul>
 * <li>simple: every wait is at most maxWait plus the duration of the job that was running at the deadline;</li>
 * <li>planner's: after its deadline, only older jobs (themselves overdue) start before it — the job running at the
 * deadline and the older overdue jobs are all that can delay it.</li>
 * </ul>
 *
 * @param lateRuns runs that started after their deadline
 * @param worstExcessMs the largest wait minus maxWait (0 if none was late)
 * @param simpleViolations runs that break the simple form
 * @param orderViolations runs passed after their deadline by a younger job
 * @param worst a sentence about the latest run, or {@code null}
 */
public record WaitBoundCheck(int lateRuns, long worstExcessMs, int simpleViolations, int orderViolations,
        String worst) {

    public static WaitBoundCheck of(List<JobRun> runs, long maxWaitMs) {
        int late = 0;
        int simple = 0;
        int order = 0;
        long worstExcess = 0;
        String worst = null;
        for (JobRun run : runs) {
            long deadline = run.waitStartMs + maxWaitMs;
            if (run.startMs < 0 || run.startMs <= deadline) {
                continue;
            }
            late++;
            JobRun atDeadline = runningAt(runs, deadline);
            long allowance = maxWaitMs + (atDeadline == null ? 0 : atDeadline.endMs - atDeadline.startMs);
            if (run.waitMs() > allowance) {
                simple++;
            }
            if (passedByYounger(runs, run, deadline)) {
                order++;
            }
            long excess = run.waitMs() - maxWaitMs;
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = describe(run, atDeadline, excess);
            }
        }
        return new WaitBoundCheck(late, worstExcess, simple, order, worst);
    }

    private static JobRun runningAt(List<JobRun> runs, long ms) {
        for (JobRun run : runs) {
            if (run.startMs >= 0 && run.startMs <= ms && ms < run.endMs) {
                return run;
            }
        }
        return null;
    }

    private static boolean passedByYounger(List<JobRun> runs, JobRun late, long deadline) {
        for (JobRun other : runs) {
            if (other.startMs >= deadline && other.startMs < late.startMs && other.seq > late.seq) {
                return true;
            }
        }
        return false;
    }

    private static String describe(JobRun run, JobRun atDeadline, long excess) {
        String running = atDeadline == null ? "nothing was running"
                : "job " + atDeadline.job.id() + " (" + atDeadline.job.model() + ", " + seconds(atDeadline.endMs
                        - atDeadline.startMs) + ") was running";
        return "job " + run.job.id() + " (" + run.job.model() + ") started " + seconds(excess)
                + " after its deadline; at the deadline " + running;
    }

    private static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}

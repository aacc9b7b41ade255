package ai.batch.queue.sim.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import ai.batch.queue.sim.run.Mape;
import ai.batch.queue.sim.run.RunResult;
import ai.batch.queue.sim.run.WaitBoundCheck;
import ai.batch.queue.sim.trace.Trace;

/** Renders results as Markdown: parameters, definitions, then one table and its notes per trace. */
public final class MarkdownReport {

    private final StringBuilder out = new StringBuilder();
    private int traceNumber;

    public MarkdownReport header(String parameters) {
        out.append("# ai-batch-queue simulator\n\n").append(parameters).append("\n\n");
        out.append(DEFINITIONS).append('\n');
        return this;
    }

    static final String DEFINITIONS = """
            ## Definitions
            - **loads**: job starts on a model other than the one on the GPU (the first start loads too). The first
              item after a load takes the model's load time on top of its own.
            - **LB** (lower bound on loads): the run is split into busy periods, maximal intervals in which some job
              is queued or running. In each period every model that runs a job must be loaded, except the model
              already on the GPU when the period starts, and that one only if one of its jobs is queued at the
              period's first instant: all four policies are work-conserving (an idle GPU starts a queued job at
              once), so if none of the first instant's jobs uses the loaded model, the GPU switches away and must
              load it again for its later jobs. LB is the sum over the periods of the policy's own run. No schedule
              with those busy periods loads fewer models; an online policy may need more, when a model's job
              arrives after the policy has left that model.
            - **needless switches**: loads that leave behind a queued job of the model they replace (one more load
              later that waiting could have saved). When every extra load above LB is not needless, each one was a
              model whose next job arrived after its last queued job had run.
            - **makespan**: from time 0 to the end of the last job run (retries included).
            - **wait**: a job's first start minus its enqueue time; mean, p95 (nearest rank) and max over jobs.
            - **remaining-time MAPE at p%**: for every job run (a retry is a run of the retried items) and p in
              10/25/50/75, the estimate taken when the run's finished items first reach p% of its items (before the
              next item starts; the run's last item is no checkpoint), against the time from then until the run
              ends. MAPE = mean of |estimate - actual| / actual, in percent. *queue*: `estimateRemainingMs(jobId)` of
              the real queue. *seed estimator*: the seed's lifetime mean of all completed durations per (model,
              operation, size bucket), the UNKNOWN bucket of the same model and operation when the bucket has none,
              0 ms when neither has data — fed the same durations. Both are compared on the checkpoints where the
              queue had an estimate.
            - **start MAPE**: at enqueue, `estimate(jobId).expectedStart()` minus now, against the job's actual
              wait, over jobs whose actual wait is > 0 (n = jobs compared).
            - **wait bound binds**: the model-aware planner placed some job as WAITED_TOO_LONG (seen by wrapping
              the planner) in that busy period.
            """;

    public MarkdownReport trace(Trace trace, List<RunResult> results, long maxWaitMs) {
        traceNumber++;
        out.append("## ").append(traceNumber).append(". ").append(trace.name()).append('\n');
        out.append(trace.description()).append(". ")
                .append(String.format(Locale.ROOT, "%d jobs, %d items, %d model%s; retry rounds %d.%n%n",
                        trace.jobs().size(), trace.itemCount(), trace.usedModelCount(),
                        trace.usedModelCount() == 1 ? "" : "s", trace.retryRounds()));
        out.append("| policy | loads | LB | needless switches | makespan s | wait mean s | wait p95 s | wait max s "
                + "| remaining MAPE % at 10/25/50/75 (queue) | same (seed estimator) | start MAPE % (n) |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        for (RunResult result : results) {
            out.append(row(result)).append('\n');
        }
        out.append('\n');
        for (RunResult result : results) {
            notes(result, maxWaitMs);
        }
        missingNote(results);
        out.append('\n');
        return this;
    }

    private static String row(RunResult r) {
        return String.join(" | ", "| " + r.policy().name(), Integer.toString(r.loads()),
                Integer.toString(r.lowerBound()), Integer.toString(r.needlessSwitches()), seconds(r.makespanMs()),
                seconds(r.meanWaitMs()),
                seconds(r.p95WaitMs()), seconds(r.maxWaitMs()), series(r.remainingQueue()),
                series(r.remainingSeed()), startMape(r.start())) + " |";
    }

    private void notes(RunResult r, long maxWaitMs) {
        if (!r.policy().isOurs()) {
            return;
        }
        String name = r.policy().name();
        boolean equal = r.unboundLoads() == r.unboundLowerBound();
        out.append("- ").append(name).append(": ");
        out.append(r.boundBinds() ? "the wait bound binds (" + r.overdueRuns() + " job runs placed as waited too"
                + " long); " : "the wait bound never binds; ");
        out.append("loads in busy periods where it does not bind: ").append(r.unboundLoads()).append(", LB ")
                .append(r.unboundLowerBound()).append(equal ? " (equal)" : " (**above LB**)")
                .append("; needless switches there: ").append(r.unboundNeedlessSwitches()).append(".\n");
        WaitBoundCheck bound = r.waitBound();
        if (bound.lateRuns() > 0) {
            out.append("- ").append(name).append(": ").append(bound.lateRuns()).append(" job runs waited longer than ")
                    .append(seconds(maxWaitMs)).append(" s; ").append(bound.worst()).append(". Every wait ≤ maxWait +"
                            + " the job running at its deadline: ")
                    .append(bound.simpleViolations() == 0 ? "yes" : "**no** (" + bound.simpleViolations() + ")")
                    .append("; no younger job started after an overdue job's deadline and before it: ")
                    .append(bound.orderViolations() == 0 ? "yes" : "**no** (" + bound.orderViolations() + ")")
                    .append(".\n");
        }
        if (r.simpleLowerBound() != r.lowerBound()) {
            out.append("- LB without the work-conserving argument would be ").append(r.simpleLowerBound())
                    .append(" for ").append(name).append(".\n");
        }
    }

    private void missingNote(List<RunResult> results) {
        String missing = results.stream().filter(r -> totalMissing(r) > 0)
                .map(r -> r.policy().name() + " " + totalMissing(r)).collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            out.append("- Estimates the queue could not give yet (no timing data for the model and operation), left"
                    + " out of the MAPEs: ").append(missing).append(".\n");
        }
    }

    private static int totalMissing(RunResult r) {
        return r.remainingQueue().values().stream().mapToInt(Mape::missing).sum() + r.start().missing();
    }

    private static String series(Map<Integer, Mape> byPercent) {
        return byPercent.values().stream().map(m -> m.defined() ? String.format(Locale.ROOT, "%.1f", m.percent())
                : "–").collect(Collectors.joining(" / "));
    }

    private static String startMape(Mape mape) {
        return mape.defined() ? String.format(Locale.ROOT, "%.1f (%d)", mape.percent(), mape.samples()) : "– (0)";
    }

    static String seconds(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms / 1000.0);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}

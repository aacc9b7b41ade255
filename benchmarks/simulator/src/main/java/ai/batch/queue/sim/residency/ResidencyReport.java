package ai.batch.queue.sim.residency;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.batch.queue.sim.Options;
import ai.batch.queue.sim.SimulatorMain;
import ai.batch.queue.sim.trace.Trace;

/** Runs the three schedulers on runtimes of capacity 1 and 2 over the traces and renders the comparison. */
public final class ResidencyReport {

    /** The runtime capacities compared. */
    public static final List<Integer> CAPACITIES = List.of(1, 2);

    /** The results of one trace: per capacity, the three schedulers in {@link Scheduler} order. */
    public record TraceResults(Trace trace, List<List<ResidencyResult>> byCapacity) {
    }

    private ResidencyReport() {
    }

    /** @return the three schedulers' results on the trace for a runtime of that capacity */
    public static List<ResidencyResult> run(Trace trace, int capacity, Options options) {
        List<ResidencyResult> results = new ArrayList<>();
        for (Scheduler scheduler : Scheduler.values()) {
            results.add(new ResidencySimulation(trace, scheduler, capacity, options.maxWait(), options.keepWarmMs(),
                    options.seed()).run());
        }
        return results;
    }

    public static TraceResults run(Trace trace, Options options) {
        List<List<ResidencyResult>> byCapacity = new ArrayList<>();
        for (int capacity : CAPACITIES) {
            byCapacity.add(run(trace, capacity, options));
        }
        return new TraceResults(trace, byCapacity);
    }

    /** @return the whole residency report */
    public static String of(List<Trace> traces, Options options) {
        List<TraceResults> all = traces.stream().map(trace -> run(trace, options)).toList();
        StringBuilder out = new StringBuilder("# ai-batch-queue simulator: model residency\n\n");
        out.append("Parameters: seed ").append(options.seed()).append("; ").append(SimulatorMain.source(options))
                .append("; maxWait of the queue's planner ").append(options.maxWait().toSeconds())
                .append(" s; keepWarm ").append(options.keepWarmMs() == 0 ? "never (0)"
                        : options.keepWarmMs() / 1000 + " s")
                .append("; runtimes holding ").append(CAPACITIES).append(" models (evicting as Ollama does for"
                        + " (a), least recently used for (b) and (c)). Times in simulated seconds.\n\n");
        out.append(DEFINITIONS).append('\n');
        out.append("## Summary\n\n");
        out.append("| trace | capacity | loads (a) / (b) / (c) | LB of (c) | makespan s (a) / (b) / (c) "
                + "| (c)/(a) | (c)/(b) | reference s | (c) / reference |\n");
        out.append("|---|---:|---|---:|---|---:|---:|---:|---:|\n");
        for (TraceResults results : all) {
            for (List<ResidencyResult> row : results.byCapacity()) {
                ResidencyResult a = row.get(0);
                ResidencyResult b = row.get(1);
                ResidencyResult c = row.get(2);
                out.append(String.format(Locale.ROOT, "| %s | %d | %d / %d / %d | %d | %s / %s / %s | %.3f | %.3f "
                        + "| %s | %.3f |%n", results.trace().name(), c.capacity(), a.loads(), b.loads(), c.loads(),
                        c.lowerBound(), seconds(a.makespanMs()), seconds(b.makespanMs()), seconds(c.makespanMs()),
                        ratio(c.makespanMs(), a.makespanMs()), ratio(c.makespanMs(), b.makespanMs()),
                        seconds(c.referenceMs()), c.makespanRatio()));
            }
        }
        out.append('\n');
        int number = 0;
        for (TraceResults results : all) {
            trace(out, ++number, results);
        }
        return out.toString();
    }

    private static void trace(StringBuilder out, int number, TraceResults results) {
        Trace trace = results.trace();
        out.append("## ").append(number).append(". ").append(trace.name()).append('\n');
        out.append(String.format(Locale.ROOT, "%d jobs, %d items, %d models; work %s s.%n%n", trace.jobs().size(),
                trace.itemCount(), trace.usedModelCount(),
                seconds(results.byCapacity().get(0).get(0).workMs())));
        out.append("| capacity | scheduler | loads | preloads | LB | loads / LB where the wait bound does not bind "
                + "| makespan s | reference s | makespan / reference | max wait s |\n");
        out.append("|---:|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (List<ResidencyResult> row : results.byCapacity()) {
            for (ResidencyResult r : row) {
                out.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %d | %d / %d%s | %s | %s | %.3f | %s |%n",
                        r.capacity(), r.scheduler().label(), r.loads(), r.preloads(), r.lowerBound(),
                        r.unboundLoads(), r.unboundLowerBound(), r.boundBinds() ? " (binds elsewhere)" : "",
                        seconds(r.makespanMs()), seconds(r.referenceMs()), r.makespanRatio(),
                        seconds(r.maxWaitMs())));
            }
        }
        out.append('\n');
    }

    static final String DEFINITIONS = """
            ## Definitions
            - **(a) runtime alone, FIFO**: every job's items go to the runtime in arrival order, one at a time (a
              failed item is sent again after its job's other items, as a retry round); the runtime loads a model
              when a request needs it and, when full, evicts as Ollama does: the idle model first in a fixed order
              (keep_alive, then model file; here the name), whichever was used last. Simulated as the queue with
              the FIFO planner, which gives that order.
            - **(b) queue**: the real `CoreBatchQueue` with `ModelAwarePlanner`; the runtime loads on demand and the
              queue is not told what it holds (no model lifecycle service): it knows only the model that ran last.
            - **(c) queue + residency**: (b) plus the rules of the queue's `ModelResidency`, restated on simulated
              time: after every event `setResidentModels(the runtime's loaded models)`; when a job starts and when
              one of its items finishes, the model of the first planned job of another model
              (`firstQueuedOfAnotherModel`) is loaded ahead if the runtime does not hold it, holds two or more
              models and has room for it besides the running model (else an idle model is unloaded to make
              room), and that job's expected start is at most the model's learned `loadTimeMs` plus a margin
              away (`ResidencyRules.preloadLeadMs`: half the load time, at least 0.5 s; at once while either is
              unknown); the load's duration is recorded with `recordLoadTime`. An idle model
              (no queued or running job) is unloaded after keepWarm.
            - **runtime**: holds at most *capacity* models; loading one when full evicts the least recently used
              model that is neither in use nor being loaded. Loads run one at a time in the runtime's loading slot
              and do not take the GPU's compute: a preload overlaps the running job's items (weights are read
              while the GPU computes). A model being loaded cannot serve until its load has finished; the first
              item of a job whose model is not ready ends the rest of the load plus its own time after its start.
            - **loads**: loads the runtime did, on demand and ahead (**preloads**).
            - **LB**: per busy period (some job queued or running), every model that runs a job in the period and
              is not held when it starts must be loaded; plus one if the runtime starts the period full of models
              that all run a job in it but none has a job queued at the first instant (the job started then
              evicts one of them, which must come back). With capacity 1 this is the planner report's LB; a larger
              capacity lowers it, since every model held at a period's start is free. Summed over the
              scheduler's own busy periods. The wait bound *binds* in a period where the planner placed a job as
              waited too long.
            - **makespan**: time 0 to the end of the last job run (retries included).
            - **reference**: a lower bound on the makespan on this runtime. For each arrival instant *a*: the work
              of the jobs arriving at or after *a* (retries included) runs after *a*, and each of their models
              that had no job before *a* must be loaded after *a* before it serves. With capacity 1 a load stops
              the GPU: *a* + that work + those loads. With capacity 2 loads overlap work but run one at a time:
              *a* + the shortest two-machine flow shop of (load, work) per model (Johnson's rule; the loading
              slot then the GPU). The reference is the largest over *a*. At the first arrival it is the sum of
              all item work plus the unavoidable loads; with idle gaps between arrivals a later instant gives
              more.
            - **max wait**: the longest time from a job's enqueue to its start.
            """;

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 1 : (double) numerator / denominator;
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f", ms / 1000.0);
    }
}

package ai.batch.queue.sim.slots;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.batch.queue.impl.plan.ClaimPolicy;
import ai.batch.queue.sim.Options;
import ai.batch.queue.sim.SimulatorMain;
import ai.batch.queue.sim.trace.Trace;

/** Runs the traces on 1 to 4 slots through {@link ClaimPolicy} and renders the comparison with the bounds. */
public final class SlotReport {

    /** The slot counts compared (1 is the reference for throughput). */
    public static final List<Integer> SLOT_COUNTS = List.of(1, 2, 3, 4);
    /** Where the exhaustive search of a small trace gives up. */
    static final long NODE_LIMIT = 20_000_000;
    /** The makespan a schedule should reach: within 15 % of the bound. */
    static final double TARGET_RATIO = 1.15;

    private SlotReport() {
    }

    /** @return the results of one trace on every slot count of {@link #SLOT_COUNTS} */
    public static List<SlotResult> run(Trace trace, Options options) {
        List<SlotResult> results = new ArrayList<>();
        for (int slots : SLOT_COUNTS) {
            results.add(new SlotSimulation(trace, slots, options.batch(), options.stealFactor(), options.seed())
                    .run());
        }
        return results;
    }

    /** @return the whole slot report for those traces plus the two slot scenarios */
    public static String of(List<Trace> traces, Options options) {
        List<Trace> all = new ArrayList<>(traces);
        if (options.trace() == null) {
            all.add(SlotScenarios.oneModel());
            all.add(SlotScenarios.fiveModels(options.seed()));
        }
        Map<String, List<SlotResult>> results = new HashMap<>();
        StringBuilder out = new StringBuilder("# ai-batch-queue simulator: slots\n\n");
        out.append("Parameters: seed ").append(options.seed()).append("; ").append(SimulatorMain.source(options))
                .append(String.format(Locale.ROOT, "; batch %d items; stealFactor %s; every decision by"
                        + " `ClaimPolicy.claim`; plan order = each model's oldest queued job; no aging. Times in"
                        + " simulated seconds.%n%n", options.batch(), options.stealFactor()));
        out.append(DEFINITIONS).append('\n');
        out.append("## Summary\n\n");
        out.append("| trace | slots | loads (per slot) | loads LB | claims stay / cold / steal | work s | makespan s "
                + "| makespan bound s | bound from | makespan / bound |\n");
        out.append("|---|---:|---|---:|---|---:|---:|---:|---|---:|\n");
        for (Trace trace : all) {
            List<SlotResult> rows = run(trace, options);
            results.put(trace.name(), rows);
            for (SlotResult r : rows) {
                out.append(String.format(Locale.ROOT, "| %s | %d | %d (%s) | %d | %d / %d / %d | %s | %s | %s | %s "
                        + "| %.3f |%n", trace.name(), r.slots(), r.loads(), join(r.loadsPerSlot()),
                        r.bounds().loads(), r.claims(ClaimPolicy.Kind.STAY), r.claims(ClaimPolicy.Kind.COLD),
                        r.claims(ClaimPolicy.Kind.STEAL), seconds(r.workMs()), seconds(r.makespanMs()),
                        seconds(r.bounds().makespanMs()), r.bounds().binding(), r.makespanRatio()));
            }
        }
        out.append('\n');
        if (options.trace() == null) {
            scenarios(out, results);
        }
        search(out, all, results, options);
        return out.toString();
    }

    private static void scenarios(StringBuilder out, Map<String, List<SlotResult>> results) {
        List<SlotResult> one = results.get("one-model");
        SlotResult single = one.get(SLOT_COUNTS.indexOf(1));
        SlotResult three = one.get(SLOT_COUNTS.indexOf(3));
        double speedup = (double) single.makespanMs() / three.makespanMs();
        out.append("## Scenarios\n\n");
        out.append(String.format(Locale.ROOT, "- **(a) one model, three identical slots, uniform items**: makespan"
                + " %s s on one slot, %s s on three: throughput ×%.2f (target ≥ 2.70: %s); loads %d (%s).%n",
                seconds(single.makespanMs()), seconds(three.makespanMs()), speedup, speedup >= 2.7 ? "met" : "missed",
                three.loads(), join(three.loadsPerSlot())));
        SlotResult five = results.get("five-models").get(SLOT_COUNTS.indexOf(3));
        int models = 5;
        out.append(String.format(Locale.ROOT, "- **(b) five models interleaved on three slots, 300 ms loads**: loads"
                + " %d (%s) against models + slots = %d (target ≤: %s); makespan %s s, bound %s s, ratio %.3f"
                + " (target ≤ %.2f: %s).%n%n", five.loads(), join(five.loadsPerSlot()), models + 3,
                five.loads() <= models + 3 ? "met" : "missed", seconds(five.makespanMs()),
                seconds(five.bounds().makespanMs()), five.makespanRatio(), TARGET_RATIO,
                five.makespanRatio() <= TARGET_RATIO ? "met" : "missed"));
    }

    /** Small traces the policy ends more than 15 % above the bound on: the best schedule, by exhaustive search. */
    private static void search(StringBuilder out, List<Trace> traces, Map<String, List<SlotResult>> results,
            Options options) {
        out.append("## Small traces: best schedule by exhaustive search\n\n");
        out.append("Searched where the policy ends more than 15 % above the bound and the trace has at most "
                + BestSchedule.MAX_RUNS + " items and no retries.\n\n");
        StringBuilder rows = new StringBuilder();
        for (Trace trace : traces) {
            List<ItemRun> runs = ItemRun.allOf(trace, options.seed());
            if (!BestSchedule.applies(runs)) {
                continue;
            }
            Map<String, Long> loadMs = new HashMap<>();
            trace.models().forEach((name, model) -> loadMs.put(name, model.loadMs()));
            for (SlotResult r : results.get(trace.name())) {
                if (r.makespanRatio() <= TARGET_RATIO) {
                    continue;
                }
                BestSchedule.Result best = BestSchedule.search(runs, loadMs, r.slots(), r.makespanMs(), NODE_LIMIT);
                double bestRatio = (double) best.makespanMs() / r.bounds().makespanMs();
                rows.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.3f | %.3f | %s | %d |%n",
                        trace.name(), r.slots(), seconds(r.makespanMs()), seconds(best.makespanMs()),
                        seconds(r.bounds().makespanMs()), bestRatio, (double) r.makespanMs() / best.makespanMs(),
                        best.exhaustive() ? "yes" : "no (node limit)", best.nodes()));
            }
        }
        if (rows.isEmpty()) {
            out.append("None.\n");
            return;
        }
        out.append("| trace | slots | policy s | best s | bound s | best / bound | policy / best | exhaustive "
                + "| nodes |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---|---:|\n").append(rows).append('\n');
        out.append("Where best / bound is above 1.15 no schedule of that trace gets within 15 % of the bound; the"
                + " best schedule is then the yardstick (policy / best).\n");
    }

    static final String DEFINITIONS = """
            ## Definitions
            - **slot**: one runtime holding at most one model; switching to a model pays its load time before the
              items; items are indivisible and a claim takes up to a batch of the first queued job of the model.
            - **loads**: model loads over all slots (per slot in brackets). **loads LB**: models that run minus
              those a slot holds at the start (none here): each must be loaded at least once.
            - **makespan**: time 0 to the end of the last batch (retries included).
            - **makespan bound**: the largest of the *work* bound, over arrival instants a: a + (work of the items
              arriving at or after a + one load per model whose first job arrives at or after a) / slots; and, per
              model m with first arrival a(m), the *model m* bound: a(m) + the least over k = 1 … min(slots, its
              items) of the largest of (its work + k loads) / k, its load + its longest item, and its load + its
              k-th and (k+1)-th longest items (two of the k+1 longest share a slot). Exact construction:
              `SIMULATOR.md`.
            """;

    private static String join(List<Integer> values) {
        return String.join(" / ", values.stream().map(String::valueOf).toList());
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f", ms / 1000.0);
    }
}

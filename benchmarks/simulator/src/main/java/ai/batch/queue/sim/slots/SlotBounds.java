package ai.batch.queue.sim.slots;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import ai.batch.queue.sim.trace.Trace;

/**
 * Lower bounds on loads and makespan of any schedule of a trace on identical slots that each hold one model, pay
 * the model's load time when they switch to it, run indivisible items, and load a model only for work of it that
 * has arrived (the claim policy and the exhaustive search both do). Retries are counted as the items they are
 * (which runs a trace has does not depend on the schedule, {@link ItemRun}); the bounds ignore that a retry waits
 * for its round to end, which only makes them lower.
 */
public final class SlotBounds {

    /**
     * @param loads the fewest loads: models that run, minus those a slot holds at the start
     * @param makespanMs the largest of the makespan bounds below
     * @param binding which bound gave {@code makespanMs}: "work", "model m" (on k slots)
     * @param workBoundMs the work bound: over arrival instants a, a + (work arriving at or after a + one load per
     *        model first seen at or after a and held by no slot at the start) / slots
     * @param modelBoundMs the largest per-model bound
     */
    public record Bounds(int loads, long makespanMs, String binding, long workBoundMs, long modelBoundMs) {
    }

    private SlotBounds() {
    }

    /**
     * @param runs every item run of the trace ({@link ItemRun#allOf})
     * @param residentAtStart the model each slot holds at time 0 (entries may be {@code null})
     */
    public static Bounds of(Trace trace, List<ItemRun> runs, int slots, List<String> residentAtStart) {
        Map<String, Integer> resident = new HashMap<>();
        for (int s = 0; s < Math.min(slots, residentAtStart.size()); s++) {
            if (residentAtStart.get(s) != null) {
                resident.merge(residentAtStart.get(s), 1, Integer::sum);
            }
        }
        Set<String> used = new LinkedHashSet<>();
        Map<String, Long> firstArrival = new HashMap<>();
        for (ItemRun run : runs) {
            used.add(run.model());
            firstArrival.merge(run.model(), run.arrivalMs(), Math::min);
        }
        int loads = (int) used.stream().filter(model -> !resident.containsKey(model)).count();

        long workBound = 0;
        for (long at : new TreeSet<>(firstArrivalsAndJobs(runs))) {
            long work = 0;
            for (ItemRun run : runs) {
                if (run.arrivalMs() >= at) {
                    work += run.ms();
                }
            }
            long loadMs = 0;
            for (String model : used) {
                if (firstArrival.get(model) >= at && !resident.containsKey(model)) {
                    loadMs += trace.models().get(model).loadMs();
                }
            }
            workBound = Math.max(workBound, at + ceilDiv(work + loadMs, slots));
        }

        long modelBound = 0;
        String binding = "work";
        for (String model : used) {
            List<Long> times = new ArrayList<>();
            for (ItemRun run : runs) {
                if (run.model().equals(model)) {
                    times.add(run.ms());
                }
            }
            long bound = firstArrival.get(model) + modelBound(times, slots, trace.models().get(model).loadMs(),
                    resident.getOrDefault(model, 0));
            if (bound > modelBound) {
                modelBound = bound;
                if (bound > workBound) {
                    binding = "model " + model;
                }
            }
        }
        return new Bounds(loads, Math.max(workBound, modelBound), binding, workBound, modelBound);
    }

    /**
     * The least time, from the model's first arrival, in which its runs can end: the minimum over the number k
     * of slots that run it (1 to min(slots, runs)) of the largest of (a) its work plus a load on each of the k
     * slots that did not hold it at the start, over k (the busiest of the k slots has at least the average);
     * (b) a load (none if some slot holds the model at the start) plus its longest run; (c) that load plus its
     * k-th and (k+1)-th longest runs, when there are more runs than k (two of the k+1 longest share a slot).
     *
     * @param times the model's run times, in any order
     * @param resident how many slots hold the model at the start
     */
    static long modelBound(List<Long> times, int slots, long loadMs, int resident) {
        List<Long> sorted = new ArrayList<>(times);
        sorted.sort(Comparator.reverseOrder());
        long work = sorted.stream().mapToLong(Long::longValue).sum();
        long firstLoad = resident > 0 ? 0 : loadMs;
        long best = Long.MAX_VALUE;
        for (int k = 1; k <= Math.min(slots, sorted.size()); k++) {
            long average = ceilDiv(work + Math.max(0, k - resident) * loadMs, k);
            long longest = firstLoad + sorted.get(0);
            long shared = sorted.size() > k ? firstLoad + sorted.get(k - 1) + sorted.get(k) : 0;
            best = Math.min(best, Math.max(average, Math.max(longest, shared)));
        }
        return best;
    }

    private static List<Long> firstArrivalsAndJobs(List<ItemRun> runs) {
        return runs.stream().map(ItemRun::arrivalMs).distinct().toList();
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}

package ai.batch.queue.sim.residency;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.batch.queue.sim.trace.JobSpec;
import ai.batch.queue.sim.trace.Trace;

/**
 * The bounds the residency report measures against: the fewest loads a busy period needs, and the reference
 * makespan.
 */
final class Bounds {

    private Bounds() {
    }

    /**
     * The lower bound on loads in a busy period for a runtime of that capacity: every model that runs a job in
     * the period and is not held at its start must be loaded. One more if the runtime starts the period full of
     * models that all run a job in it and none of them has a job queued at the first instant: the job started at
     * that instant (every scheduler here is work-conserving) loads its model and evicts one of them, which must
     * be loaded again. With capacity 1 this is the report's LB.
     */
    static int lowerBound(Set<String> models, Set<String> cachedAtStart, Set<String> firstInstantModels,
            int capacity) {
        int bound = 0;
        for (String model : models) {
            if (!cachedAtStart.contains(model)) {
                bound++;
            }
        }
        boolean full = cachedAtStart.size() >= capacity;
        boolean allUsed = models.containsAll(cachedAtStart);
        boolean noneFirst = cachedAtStart.stream().noneMatch(firstInstantModels::contains);
        if (!cachedAtStart.isEmpty() && full && allUsed && noneFirst) {
            bound++;
        }
        return bound;
    }


    /**
     * A lower bound on the makespan of any of the three schedulers on this runtime: for every arrival instant
     * {@code a}, the work of the jobs arriving at or after {@code a} (their retries included) runs after
     * {@code a}, and a model none of whose jobs arrived before {@code a} is loaded after {@code a} (no model is
     * loaded before one of its jobs arrives) and serves only once loaded. With capacity 1 a load stops the GPU:
     * {@code a} plus that work plus those loads. With more room loads overlap work but run one at a time, so
     * the models are jobs of a two-machine flow shop (the loading slot, then the GPU; a model seen before
     * {@code a} loads in 0 ms), whose shortest schedule Johnson's rule gives (splitting a model's work does not
     * shorten it). At the first arrival this is the sum of all work plus the unavoidable loads.
     */
    static long referenceMs(Trace trace, long[] workByJob, int capacity) {
        List<JobSpec> jobs = trace.jobs();
        long best = 0;
        for (int k = 0; k < jobs.size(); k++) {
            long at = jobs.get(k).atMs();
            if (k > 0 && jobs.get(k - 1).atMs() == at) {
                continue;
            }
            Set<String> before = new HashSet<>();
            for (int i = 0; i < k; i++) {
                before.add(jobs.get(i).model());
            }
            Map<String, long[]> byModel = new java.util.TreeMap<>(); // model -> {load, work}
            for (int i = k; i < jobs.size(); i++) {
                String model = jobs.get(i).model();
                long[] entry = byModel.computeIfAbsent(model, m -> new long[] {
                        before.contains(m) ? 0 : trace.models().get(m).loadMs(), 0});
                entry[1] += workByJob[i];
            }
            best = Math.max(best, at + (capacity == 1 ? serial(byModel.values()) : johnson(byModel.values())));
        }
        return best;
    }

    private static long serial(Collection<long[]> models) {
        return models.stream().mapToLong(model -> model[0] + model[1]).sum();
    }

    /** The shortest two-machine flow shop schedule of {load, work} pairs (Johnson's rule). */
    static long johnson(Collection<long[]> models) {
        List<long[]> first = new ArrayList<>();
        List<long[]> last = new ArrayList<>();
        for (long[] model : models) {
            (model[0] <= model[1] ? first : last).add(model);
        }
        first.sort(java.util.Comparator.comparingLong(model -> model[0]));
        last.sort(java.util.Comparator.comparingLong((long[] model) -> model[1]).reversed());
        first.addAll(last);
        long loaded = 0;
        long done = 0;
        for (long[] model : first) {
            loaded += model[0];
            done = Math.max(done, loaded) + model[1];
        }
        return done;
    }
}

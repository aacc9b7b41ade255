package ai.batch.queue.sim.residency;

import java.util.LinkedHashSet;
import java.util.Set;

/** A maximal interval in which some job is queued or running, and what the residency did in it. */
final class BusyPeriod {
    final Set<String> cachedAtStart;
    final Set<String> firstInstantModels = new LinkedHashSet<>();
    final Set<String> models = new LinkedHashSet<>();
    final long startMs;
    int loads;
    boolean boundBinds;

    BusyPeriod(long startMs, Set<String> cachedAtStart) {
        this.startMs = startMs;
        this.cachedAtStart = cachedAtStart;
    }

    /** @return the fewest loads this period needs with a runtime of that capacity ({@link Bounds#lowerBound}) */
    int lowerBound(int capacity) {
        return Bounds.lowerBound(models, cachedAtStart, firstInstantModels, capacity);
    }
}

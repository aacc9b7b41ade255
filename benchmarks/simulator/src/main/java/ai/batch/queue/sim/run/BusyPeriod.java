package ai.batch.queue.sim.run;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A maximal interval in which some job is queued or running, and what any work-conserving policy must load in
 * it.
 */
public final class BusyPeriod {

    final long startMs;
    long endMs = -1;
    /** The model on the GPU when the period starts, or {@code null}. */
    final String initialModel;
    /** Models of the jobs queued at the period's first instant: one of them must start at that instant. */
    final Set<String> firstInstantModels = new LinkedHashSet<>();
    /** Models of the jobs that started in the period. */
    final Set<String> models = new LinkedHashSet<>();
    int loads;
    int needlessSwitches;
    boolean boundBinds;

    BusyPeriod(long startMs, String initialModel) {
        this.startMs = startMs;
        this.initialModel = initialModel;
    }

    /**
     * Every model with a job in the period must be loaded in it, except the model already loaded at its start,
     * and that one only if a job for it is queued at the first instant (a work-conserving policy starts a job at
     * that instant, so if none is for the loaded model, it switches away and must load that model again later).
     */
    public int lowerBound() {
        return models.size() - (initialModel != null && firstInstantModels.contains(initialModel) ? 1 : 0);
    }

    /** The bound without the work-conserving argument: distinct models minus the model loaded at the start. */
    public int simpleLowerBound() {
        return models.size() - (initialModel != null && models.contains(initialModel) ? 1 : 0);
    }

    /** @return loads that left queued jobs of the replaced model behind */
    public int needlessSwitches() {
        return needlessSwitches;
    }

    public int loads() {
        return loads;
    }

    /** @return whether the planner placed some job as having waited too long during the period */
    public boolean boundBinds() {
        return boundBinds;
    }

    public long startMs() {
        return startMs;
    }

    public long endMs() {
        return endMs;
    }
}

package ai.batch.queue.impl.models;

import java.util.OptionalDouble;
import java.util.Set;

/**
 * The model residency's decisions as pure functions over what the caller knows, so that the queue's
 * {@link ModelResidency} and the simulator decide alike: which model to preload, when, whether the runtime has room,
 * which model to unload for room, and when an idle model goes.
 */
public final class ResidencyRules {

    /** How many planned jobs a preload looks ahead for the next model; a switch further away is far off anyway. */
    public static final int LOOK_AHEAD = 64;
    /** The least margin ahead of the load time (estimates are rough; half the load time when more). */
    public static final long PRELOAD_MARGIN_MS = 500;

    private ResidencyRules() {
    }

    /** @return how long before the next model's turn its preload starts: its load time plus a margin */
    public static long preloadLeadMs(double loadMs) {
        return Math.round(loadMs + Math.max(PRELOAD_MARGIN_MS, loadMs / 2));
    }

    /**
     * When to preload the next planned model of another kind.
     *
     * @param loadMs its learned load time, empty when not known yet
     * @param untilStartMs how long until its job is expected to start, {@code null} when not known
     * @return how long to wait before loading it: 0 to load now (also while either value is unknown: the load
     *         should overlap as much of the running work as it can)
     */
    public static long preloadInMs(OptionalDouble loadMs, Long untilStartMs) {
        if (loadMs.isEmpty() || untilStartMs == null) {
            return 0;
        }
        return Math.max(0, untilStartMs - preloadLeadMs(loadMs.getAsDouble()));
    }

    /**
     * @param held the models the runtime holds, the running one included
     * @param capacity how many it has room for (below 1 counts as 1)
     * @return whether it can take one more without letting one go
     */
    public static boolean hasRoom(Set<String> held, int capacity) {
        return held.size() < Math.max(1, capacity);
    }

    /**
     * Whether a loaded model may be unloaded to make room for a preload: not the running one, used by the queue
     * (others' models are left alone), and needed by no queued or running job.
     *
     * @param model a model the runtime holds
     * @param current the running job's model
     * @param busy the models with queued or running work
     * @param usedByQueue whether the queue ran or loaded that model
     */
    public static boolean mayGoForRoom(String model, String current, Set<String> busy, boolean usedByQueue) {
        return !model.equals(current) && !busy.contains(model) && usedByQueue;
    }

    /**
     * @param idleMs how long the model has had no queued or running job
     * @param keepWarmMs {@code models.keepWarmMs}; 0 keeps models for ever
     * @return whether to unload it now
     */
    public static boolean idleDue(long idleMs, long keepWarmMs) {
        return keepWarmMs > 0 && idleMs >= keepWarmMs;
    }
}

package ai.batch.queue.sim.slots;

import java.util.List;

import ai.batch.queue.impl.plan.ClaimPolicy;

/**
 * The outcome of one multi-slot run, next to its bounds.
 *
 * @param trace the trace's name
 * @param slots how many slots
 * @param batchSize the most items one claim takes
 * @param loads model loads over all slots
 * @param loadsPerSlot loads of each slot, in slot order
 * @param claims claims made, by kind (STAY, COLD, STEAL; IDLE answers are not counted)
 * @param makespanMs time 0 to the end of the last batch
 * @param workMs the items' own time, loads excluded (retries included)
 * @param bounds the lower bounds of this trace on this many slots
 * @param batches every batch run, in start order
 */
public record SlotResult(String trace, int slots, int batchSize, int loads, List<Integer> loadsPerSlot,
        List<Integer> claims, long makespanMs, long workMs, SlotBounds.Bounds bounds, List<Batch> batches) {

    /**
     * One claim carried out.
     *
     * @param slot the slot's index
     * @param kind what the policy answered
     * @param model the model
     * @param startMs when the slot took it
     * @param loadMs the load paid before its items (0 when the slot held the model)
     * @param endMs when its last item ended
     * @param runs the item runs, in order
     */
    public record Batch(int slot, ClaimPolicy.Kind kind, String model, long startMs, long loadMs, long endMs,
            List<ItemRun> runs) {
    }

    public SlotResult {
        loadsPerSlot = List.copyOf(loadsPerSlot);
        claims = List.copyOf(claims);
        batches = List.copyOf(batches);
    }

    /** @return the makespan divided by its lower bound */
    public double makespanRatio() {
        return bounds.makespanMs() == 0 ? 1 : (double) makespanMs / bounds.makespanMs();
    }

    /** @return how many claims of that kind were made */
    public int claims(ClaimPolicy.Kind kind) {
        return claims.get(kind.ordinal());
    }
}

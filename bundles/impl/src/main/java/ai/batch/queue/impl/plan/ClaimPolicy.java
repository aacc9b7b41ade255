package ai.batch.queue.impl.plan;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which model a free slot takes next: the one rule that spreads work over several runtimes while loading each
 * model as few times as possible across them. A pure function over a snapshot; the executor and the simulator
 * both call it.
 *
 * <p>For a free slot, in this order:
 * <ol>
 * <li><b>Aging:</b> the first model in the plan's order whose work has waited past {@code planner.maxWaitMs},
 * that this slot can run and that no slot holds or is loading ({@link Kind#COLD}). Waiting too long beats
 * staying.</li>
 * <li><b>Stay:</b> the first model in the plan's order that this slot holds and that has work not yet taken
 * ({@link Kind#STAY}).</li>
 * <li><b>Cold pick:</b> the first model in the plan's order with work that this slot can run and that no slot
 * holds or is loading ({@link Kind#COLD}). The caller marks it as this slot's lane before the next claim, so two
 * idle slots never load one model at once.</li>
 * <li><b>Steal:</b> a second (third, …) copy of a model other slots hold, when its work not yet taken, shared by
 * the slots holding it, exceeds {@code stealFactor} times its learned load time and there are more items left
 * than holders; the model with the most such work per holder first, then the plan's order
 * ({@link Kind#STEAL}). Work of unknown length counts as worth a copy (the slot would idle otherwise).</li>
 * <li>Else {@link Kind#IDLE}: wait for new work.</li>
 * </ol>
 * A slot missing from the snapshot (gone mid-claim) gets {@link Kind#IDLE}.
 */
public final class ClaimPolicy {

    /** The default of {@code slots.stealFactor}: a second copy pays when its share of the work is two loads. */
    public static final double DEFAULT_STEAL_FACTOR = 2.0;

    private ClaimPolicy() {
    }

    /** What kind of claim was made. */
    public enum Kind {
        /** Keep running a model the slot holds. */
        STAY,
        /** Load a model no slot holds. */
        COLD,
        /** Load another copy of a model other slots hold, because its work is worth a load. */
        STEAL,
        /** Nothing to take. */
        IDLE
    }

    /**
     * One slot as the policy sees it.
     *
     * @param id the slot's name
     * @param serves the models it can run; {@code "*"} runs any
     * @param holds the models it holds now, or is loading (its lane)
     */
    public record Slot(String id, Set<String> serves, Set<String> holds) {

        public Slot {
            Objects.requireNonNull(id, "id");
            serves = Set.copyOf(serves);
            holds = Set.copyOf(holds);
        }

        /** @return whether this slot can run the model */
        public boolean canRun(String model) {
            return serves.contains(model) || serves.contains("*");
        }
    }

    /**
     * The work of one model not yet taken by any slot.
     *
     * @param model the resource key
     * @param items how many items are left to take
     * @param remainingMs the estimated work of those items; {@code NaN} when unknown
     * @param loadMs the learned load time; {@code NaN} when unknown (taken as 0)
     * @param aged whether a job of this model has waited past the planner's maximum wait
     */
    public record Work(String model, int items, double remainingMs, double loadMs, boolean aged) {

        public Work {
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * The claim made.
     *
     * @param kind what kind
     * @param model the model to run, or {@code null} for {@link Kind#IDLE}
     */
    public record Claim(Kind kind, String model) {

        /** The claim of a slot with nothing to take. */
        public static final Claim IDLE = new Claim(Kind.IDLE, null);
    }

    /**
     * Decides what a free slot takes.
     *
     * @param slots every live slot, the free one included
     * @param work the models with work not yet taken, in the plan's order (priority, aging, the planner's rules)
     * @param slotId the free slot
     * @param stealFactor how many load times of work per holding slot a second copy needs
     * @return the claim
     */
    public static Claim claim(List<Slot> slots, List<Work> work, String slotId, double stealFactor) {
        Slot slot = find(slots, slotId);
        if (slot == null) {
            return Claim.IDLE;
        }
        for (Work w : work) {
            if (w.aged() && w.items() > 0 && slot.canRun(w.model()) && holders(slots, w.model()) == 0) {
                return new Claim(Kind.COLD, w.model());
            }
        }
        for (Work w : work) {
            if (w.items() > 0 && slot.holds().contains(w.model()) && slot.canRun(w.model())) {
                return new Claim(Kind.STAY, w.model());
            }
        }
        for (Work w : work) {
            if (w.items() > 0 && slot.canRun(w.model()) && holders(slots, w.model()) == 0) {
                return new Claim(Kind.COLD, w.model());
            }
        }
        return steal(slots, work, slot, stealFactor);
    }

    private static Claim steal(List<Slot> slots, List<Work> work, Slot slot, double stealFactor) {
        Work best = null;
        double bestShare = 0;
        for (Work w : work) {
            int holders = holders(slots, w.model());
            if (w.items() <= holders || !slot.canRun(w.model()) || slot.holds().contains(w.model())) {
                continue;
            }
            // work of unknown length is taken as worth a copy: the slot would idle otherwise
            double remaining = Double.isNaN(w.remainingMs()) ? Double.POSITIVE_INFINITY : w.remainingMs();
            double load = Double.isNaN(w.loadMs()) ? 0 : w.loadMs();
            double share = remaining / holders;
            if (share > stealFactor * load && (best == null || share > bestShare)) {
                best = w;
                bestShare = share;
            }
        }
        return best == null ? Claim.IDLE : new Claim(Kind.STEAL, best.model());
    }

    /** @return how many slots hold or are loading the model */
    public static int holders(List<Slot> slots, String model) {
        int count = 0;
        for (Slot s : slots) {
            if (s.holds().contains(model)) {
                count++;
            }
        }
        return count;
    }

    private static Slot find(List<Slot> slots, String id) {
        for (Slot s : slots) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }
}

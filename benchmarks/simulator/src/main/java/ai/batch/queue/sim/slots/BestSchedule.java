package ai.batch.queue.sim.slots;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shortest makespan of a small trace on identical slots, by branch and bound over every choice a free slot
 * has at every event (an arrival or an item ending): take any item that has arrived and is not taken (loading its
 * model if the slot holds another), or wait for the next event. Items are taken one at a time, so any batching
 * is among the schedules searched; a schedule can always be shifted left until every item starts at an arrival or
 * when its slot's previous item ends, so searching only event instants loses nothing. Loads happen only for an
 * item taken, never ahead of an arrival. Traces with retries are not searched (a retry's release depends on the
 * schedule).
 *
 * <p>Pruning: a branch stops when a lower bound of every completion of it (the latest end so far; the slots'
 * busy time plus the work left plus one load per model left that no slot holds, over the slots; every item left
 * from its arrival with its load if no slot holds its model) reaches the best makespan found. Two free slots that
 * hold the same model are interchangeable: once the first waits at an instant, so does the second.
 */
public final class BestSchedule {

    /** The most item runs searched. */
    public static final int MAX_RUNS = 12;

    /**
     * @param makespanMs the shortest makespan found
     * @param nodes search nodes visited
     * @param exhaustive whether the search finished (else {@code makespanMs} is only the best found)
     */
    public record Result(long makespanMs, long nodes, boolean exhaustive) {
    }

    private final ItemRun[] runs;
    private final long[] loadOf;
    private final int[] modelOf;
    private final int slots;
    private final long nodeLimit;
    private final int[] held;
    private final long[] freeAt;
    private final boolean[] taken;
    private long best;
    private long nodes;
    private boolean aborted;

    private BestSchedule(List<ItemRun> runs, Map<String, Long> loadMs, int slots, long upperBound, long nodeLimit) {
        this.runs = runs.toArray(ItemRun[]::new);
        List<String> models = runs.stream().map(ItemRun::model).distinct().toList();
        this.loadOf = new long[this.runs.length];
        this.modelOf = new int[this.runs.length];
        for (int r = 0; r < this.runs.length; r++) {
            modelOf[r] = models.indexOf(this.runs[r].model());
            loadOf[r] = loadMs.get(this.runs[r].model());
        }
        this.slots = slots;
        this.nodeLimit = nodeLimit;
        this.held = new int[slots];
        java.util.Arrays.fill(held, -1);
        this.freeAt = new long[slots];
        this.taken = new boolean[this.runs.length];
        this.best = upperBound;
    }

    /** @return whether the search applies: at most {@link #MAX_RUNS} runs and no retries */
    public static boolean applies(List<ItemRun> runs) {
        return runs.size() <= MAX_RUNS && runs.stream().allMatch(run -> run.attempt() == 0);
    }

    /**
     * @param loadMs each model's load time
     * @param upperBound a makespan known to be reachable (e.g. the policy's); the search looks for shorter ones
     * @param nodeLimit where the search gives up
     */
    public static Result search(List<ItemRun> runs, Map<String, Long> loadMs, int slots, long upperBound,
            long nodeLimit) {
        if (!applies(runs)) {
            throw new IllegalArgumentException("only traces of at most " + MAX_RUNS + " items without retries");
        }
        BestSchedule search = new BestSchedule(runs, loadMs, slots, upperBound, nodeLimit);
        long first = runs.stream().mapToLong(ItemRun::arrivalMs).min().orElse(0);
        search.step(first, new boolean[slots], runs.size(), 0);
        return new Result(search.best, search.nodes, !search.aborted);
    }

    private void step(long now, boolean[] waited, int left, long end) {
        if (left == 0) {
            best = Math.min(best, end);
            return;
        }
        if (++nodes > nodeLimit) {
            aborted = true;
            return;
        }
        if (aborted || lowerBound(now, end) >= best) {
            return;
        }
        int slot = -1;
        for (int s = 0; s < slots && slot < 0; s++) {
            if (freeAt[s] <= now && !waited[s]) {
                slot = s;
            }
        }
        if (slot < 0) {
            long next = nextEvent(now);
            if (next != Long.MAX_VALUE) {
                step(next, new boolean[slots], left, end);
            }
            return;
        }
        boolean mustWait = false;
        for (int s = 0; s < slot; s++) {
            mustWait |= waited[s] && held[s] == held[slot] && freeAt[s] <= now;
        }
        if (!mustWait) {
            Set<String> tried = new HashSet<>();
            for (int r = 0; r < runs.length; r++) {
                if (taken[r] || runs[r].arrivalMs() > now
                        || !tried.add(runs[r].model() + "/" + runs[r].ms() + "/" + runs[r].arrivalMs())) {
                    continue;
                }
                int heldBefore = held[slot];
                long freeBefore = freeAt[slot];
                long finish = now + (heldBefore == modelOf[r] ? 0 : loadOf[r]) + runs[r].ms();
                taken[r] = true;
                held[slot] = modelOf[r];
                freeAt[slot] = finish;
                step(now, waited, left - 1, Math.max(end, finish));
                taken[r] = false;
                held[slot] = heldBefore;
                freeAt[slot] = freeBefore;
            }
        }
        waited[slot] = true;
        step(now, waited, left, end);
        waited[slot] = false;
    }

    private long nextEvent(long now) {
        long next = Long.MAX_VALUE;
        for (long free : freeAt) {
            if (free > now) {
                next = Math.min(next, free);
            }
        }
        for (int r = 0; r < runs.length; r++) {
            if (!taken[r] && runs[r].arrivalMs() > now) {
                next = Math.min(next, runs[r].arrivalMs());
            }
        }
        return next;
    }

    private long lowerBound(long now, long end) {
        long bound = end;
        long busy = 0;
        for (int s = 0; s < slots; s++) {
            busy += Math.max(freeAt[s], now);
            bound = Math.max(bound, freeAt[s]);
        }
        long work = 0;
        Set<Integer> needLoad = new HashSet<>();
        long loads = 0;
        for (int r = 0; r < runs.length; r++) {
            if (taken[r]) {
                continue;
            }
            work += runs[r].ms();
            boolean held = isHeld(modelOf[r]);
            if (!held && needLoad.add(modelOf[r])) {
                loads += loadOf[r];
            }
            bound = Math.max(bound, Math.max(now, runs[r].arrivalMs()) + (held ? 0 : loadOf[r]) + runs[r].ms());
        }
        return Math.max(bound, -Math.floorDiv(-(busy + work + loads), slots));
    }

    private boolean isHeld(int model) {
        for (int h : held) {
            if (h == model) {
                return true;
            }
        }
        return false;
    }
}

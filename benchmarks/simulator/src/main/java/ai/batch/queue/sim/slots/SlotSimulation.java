package ai.batch.queue.sim.slots;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.plan.ClaimPolicy;
import ai.batch.queue.sim.run.ItemOutcomes;
import ai.batch.queue.sim.trace.JobSpec;
import ai.batch.queue.sim.trace.ModelSpec;
import ai.batch.queue.sim.trace.Trace;

/**
 * Replays a trace on simulated time over several slots, each holding at most one model, with every decision
 * taken by {@link ClaimPolicy#claim}. Nothing sleeps: time jumps from one event (an arrival, a batch ending) to
 * the next.
 *
 * <p>At each instant, in this order: the batches ending then finish (a job round whose items have all ended with
 * failures is queued again, as {@code retryFailed} does, while rounds are left); the jobs arriving then are
 * queued; then every free slot, in slot order and again until none takes anything, asks the policy with a
 * snapshot: every slot's id, that it can run every model ({@code "*"}), and the model it holds or is loading; per
 * model with items not yet taken, in the plan's order (the order of each model's oldest queued job), the items
 * not yet taken, their expected work (the model's mean item time per size), the model's load time and
 * {@code aged = false}. On STAY, COLD or STEAL the slot takes up to {@code batchSize} items of that model's first
 * queued job, holds the model from that instant (so no other slot sees it as cold), pays its load time if it
 * held another model or none, and runs the items one after another.
 */
public final class SlotSimulation {

    private static final class QueuedJob {
        final int index;
        final JobSpec spec;
        final ModelSpec model;
        final Deque<Integer> pending = new ArrayDeque<>();
        final List<Integer> failed = new ArrayList<>();
        int attempt;
        int outstanding;

        QueuedJob(int index, JobSpec spec, ModelSpec model) {
            this.index = index;
            this.spec = spec;
            this.model = model;
        }
    }

    private final Trace trace;
    private final int slotCount;
    private final int batchSize;
    private final double stealFactor;
    private final long seed;
    private final ItemOutcomes outcomes;
    private final String[] held;
    private final SlotResult.Batch[] running;
    private final int[] loads;
    private final int[] claims = new int[ClaimPolicy.Kind.values().length];
    private final List<QueuedJob> queue = new ArrayList<>(); // plan order: oldest queued first
    private final Map<Integer, QueuedJob> jobs = new LinkedHashMap<>();
    private final Set<String> ran = new HashSet<>();
    private final List<SlotResult.Batch> batches = new ArrayList<>();
    private final List<String> residentAtStart;
    private long makespanMs;
    private long workMs;
    private boolean done;

    /**
     * @param slots how many slots, at least 1
     * @param batchSize the most items one claim takes, at least 1
     * @param stealFactor passed to the policy
     * @param seed draws item times and failures, as in the other simulations
     */
    public SlotSimulation(Trace trace, int slots, int batchSize, double stealFactor, long seed) {
        this(trace, slots, batchSize, stealFactor, seed, List.of());
    }

    /**
     * @param residentAtStart the model each slot holds at time 0 ({@code null} or missing: none)
     */
    public SlotSimulation(Trace trace, int slots, int batchSize, double stealFactor, long seed,
            List<String> residentAtStart) {
        if (slots < 1 || batchSize < 1) {
            throw new IllegalArgumentException("need at least one slot and a batch of at least one item");
        }
        this.trace = trace;
        this.slotCount = slots;
        this.batchSize = batchSize;
        this.stealFactor = stealFactor;
        this.seed = seed;
        this.outcomes = new ItemOutcomes(seed);
        this.held = new String[slots];
        this.running = new SlotResult.Batch[slots];
        this.loads = new int[slots];
        this.residentAtStart = new ArrayList<>(residentAtStart);
        for (int s = 0; s < Math.min(slots, residentAtStart.size()); s++) {
            held[s] = residentAtStart.get(s);
        }
    }

    /** @return the id the policy knows slot {@code index} by */
    public static String slotId(int index) {
        return "slot-" + index;
    }

    /** Runs the whole trace; call once. */
    public SlotResult run() {
        if (done) {
            throw new IllegalStateException("a simulation runs once");
        }
        done = true;
        List<JobSpec> arrivals = trace.jobs();
        int next = 0;
        while (next < arrivals.size() || busy() || !queue.isEmpty()) {
            long now = next < arrivals.size() ? arrivals.get(next).atMs() : Long.MAX_VALUE;
            for (SlotResult.Batch batch : running) {
                if (batch != null) {
                    now = Math.min(now, batch.endMs());
                }
            }
            if (now == Long.MAX_VALUE) {
                throw new IllegalStateException("stalled: every slot idle with " + queue.size()
                        + " jobs queued; slots hold " + Arrays.toString(held) + ", work " + work());
            }
            for (int s = 0; s < slotCount; s++) {
                if (running[s] != null && running[s].endMs() == now) {
                    finish(s);
                }
            }
            while (next < arrivals.size() && arrivals.get(next).atMs() == now) {
                QueuedJob job = new QueuedJob(next, arrivals.get(next), trace.modelOf(arrivals.get(next)));
                for (int i = 0; i < job.spec.items().size(); i++) {
                    job.pending.add(i);
                }
                jobs.put(next++, job);
                queue.add(job);
            }
            claimAll(now);
        }
        List<Integer> perSlot = Arrays.stream(loads).boxed().toList();
        return new SlotResult(trace.name(), slotCount, batchSize, perSlot.stream().mapToInt(Integer::intValue).sum(),
                perSlot, Arrays.stream(claims).boxed().toList(), makespanMs, workMs,
                SlotBounds.of(trace, ItemRun.allOf(trace, seed), slotCount, residentAtStart), batches);
    }

    private boolean busy() {
        return Arrays.stream(running).anyMatch(batch -> batch != null);
    }

    private void claimAll(long now) {
        boolean claimed = true;
        while (claimed) {
            claimed = false;
            for (int s = 0; s < slotCount; s++) {
                if (running[s] != null || queue.isEmpty()) {
                    continue;
                }
                ClaimPolicy.Claim claim = ClaimPolicy.claim(snapshot(), work(), slotId(s), stealFactor);
                if (claim.kind() != ClaimPolicy.Kind.IDLE) {
                    start(s, claim, now);
                    claimed = true;
                }
            }
        }
    }

    /** Every slot as the policy sees it: it runs any model and holds (or is loading) at most one. */
    List<ClaimPolicy.Slot> snapshot() {
        List<ClaimPolicy.Slot> slots = new ArrayList<>(slotCount);
        for (int s = 0; s < slotCount; s++) {
            slots.add(new ClaimPolicy.Slot(slotId(s), Set.of("*"), held[s] == null ? Set.of() : Set.of(held[s])));
        }
        return slots;
    }

    /** The work not yet taken, per model, in the order of each model's oldest queued job. */
    List<ClaimPolicy.Work> work() {
        Map<String, long[]> byModel = new LinkedHashMap<>(); // model -> {items, expected ms}
        for (QueuedJob job : queue) {
            long[] entry = byModel.computeIfAbsent(job.spec.model(), m -> new long[2]);
            for (int item : job.pending) {
                entry[0]++;
                entry[1] += job.model.meanItemMs(job.spec.items().get(item));
            }
        }
        List<ClaimPolicy.Work> work = new ArrayList<>(byModel.size());
        byModel.forEach((model, entry) -> work.add(new ClaimPolicy.Work(model, (int) entry[0], entry[1],
                trace.models().get(model).loadMs(), false)));
        return work;
    }

    private void start(int slot, ClaimPolicy.Claim claim, long now) {
        QueuedJob job = queue.stream().filter(candidate -> candidate.spec.model().equals(claim.model())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the policy claimed " + claim + " with no work"));
        long loadMs = 0;
        if (!claim.model().equals(held[slot])) {
            loadMs = job.model.loadMs();
            loads[slot]++;
            held[slot] = claim.model(); // its lane from this instant: no other slot sees the model as cold
        }
        List<ItemRun> runs = new ArrayList<>();
        long end = now + loadMs;
        while (runs.size() < batchSize && !job.pending.isEmpty()) {
            int item = job.pending.poll();
            SizeBucket bucket = job.spec.items().get(item);
            ItemOutcomes.Outcome outcome = outcomes.of(job.index, item, job.attempt, job.model, bucket);
            runs.add(new ItemRun(job.index, item, job.attempt, job.spec.model(), bucket, outcome.ms(),
                    outcome.failed(), job.spec.atMs()));
            end += outcome.ms();
            job.outstanding++;
        }
        if (job.pending.isEmpty()) {
            queue.remove(job);
        }
        claims[claim.kind().ordinal()]++;
        running[slot] = new SlotResult.Batch(slot, claim.kind(), claim.model(), now, loadMs, end, runs);
        batches.add(running[slot]);
    }

    private void finish(int slot) {
        SlotResult.Batch batch = running[slot];
        running[slot] = null;
        makespanMs = Math.max(makespanMs, batch.endMs());
        for (ItemRun run : batch.runs()) {
            if (!ran.add(run.key())) {
                throw new IllegalStateException("item run twice: job " + run.job() + " item " + run.item()
                        + " attempt " + run.attempt());
            }
            workMs += run.ms();
            QueuedJob job = jobs.get(run.job());
            job.outstanding--;
            if (run.failed()) {
                job.failed.add(run.item());
            }
        }
        QueuedJob job = jobs.get(batch.runs().get(0).job());
        if (job.outstanding == 0 && job.pending.isEmpty() && !job.failed.isEmpty()
                && job.attempt < trace.retryRounds()) {
            job.attempt++; // retryFailed: the failed items are queued again as a new enqueue
            job.pending.addAll(job.failed.stream().sorted().toList());
            job.failed.clear();
            queue.add(job);
        }
    }
}

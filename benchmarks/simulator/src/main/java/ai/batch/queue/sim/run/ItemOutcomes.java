package ai.batch.queue.sim.run;

import java.util.SplittableRandom;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.sim.trace.ModelSpec;

/**
 * How long each item takes and whether it fails, drawn from the seed and the item's identity (job, item,
 * attempt) rather than from the order of events: every policy sees the same items take the same time, so the
 * policies differ only in their decisions.
 */
public final class ItemOutcomes {

    /** @param ms processing time without any model load; {@code failed}: the item fails after that time */
    public record Outcome(long ms, boolean failed) {
    }

    private final long seed;

    public ItemOutcomes(long seed) {
        this.seed = seed;
    }

    /**
     * @param job the job's index in the trace
     * @param item the item's index in the job
     * @param attempt 0 for the first run, then one more per retry
     */
    public Outcome of(int job, int item, int attempt, ModelSpec model, SizeBucket bucket) {
        long key = ((seed * 1_000_003L + job) * 65_537L + item) * 257L + attempt;
        SplittableRandom random = new SplittableRandom(key);
        double u = random.nextDouble(-1, 1);
        long ms = Math.max(1, Math.round(model.meanItemMs(bucket) * (1 + model.noise() * u)));
        boolean failed = random.nextDouble() < model.failureRate();
        return new Outcome(ms, failed);
    }
}

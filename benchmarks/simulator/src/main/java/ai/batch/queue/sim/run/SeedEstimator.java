package ai.batch.queue.sim.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.batch.queue.SizeBucket;

/**
 * The seed's estimator, for comparison: the lifetime mean of every completed duration per (model, operation,
 * size bucket), the UNKNOWN bucket of the same model and operation when the item's own bucket has none, and 0 ms
 * for an item with neither. Cold items (model load included) count like any other.
 */
public final class SeedEstimator {

    private record Key(String model, String operation, SizeBucket bucket) {
    }

    private final Map<Key, long[]> sums = new HashMap<>(); // {sum, count}

    /** Records one completed item's duration. */
    public void record(String model, String operation, SizeBucket bucket, long durationMs) {
        long[] sum = sums.computeIfAbsent(new Key(model, operation, bucket), key -> new long[2]);
        sum[0] += durationMs;
        sum[1]++;
    }

    /** @return the estimated time of the given remaining items */
    public long remainingMs(String model, String operation, List<SizeBucket> remaining) {
        double total = 0;
        for (SizeBucket bucket : remaining) {
            long[] sum = sums.get(new Key(model, operation, bucket));
            if (sum == null) {
                sum = sums.get(new Key(model, operation, SizeBucket.UNKNOWN));
            }
            total += sum == null ? 0 : (double) sum[0] / sum[1];
        }
        return Math.round(total);
    }
}

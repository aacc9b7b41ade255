package ai.batch.queue.sim.run;

import java.util.Arrays;
import java.util.List;

/** Small statistics over samples. */
public final class Stats {

    private Stats() {
    }

    public static double mean(long[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The nearest-rank percentile: the smallest sample with at least {@code p}% of the samples at or below it. */
    public static long percentile(long[] values, int p) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public static long max(long[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    /**
     * Mean absolute percentage error.
     *
     * @param pairs {estimate, actual} pairs; every actual must be positive
     * @return the MAPE in percent, NaN with no pairs
     */
    public static double mape(List<long[]> pairs) {
        if (pairs.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (long[] pair : pairs) {
            if (pair[1] <= 0) {
                throw new IllegalArgumentException("MAPE needs positive actual values, got " + pair[1]);
            }
            sum += Math.abs(pair[0] - pair[1]) / (double) pair[1];
        }
        return 100 * sum / pairs.size();
    }
}

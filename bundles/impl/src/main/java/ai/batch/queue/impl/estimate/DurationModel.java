package ai.batch.queue.impl.estimate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import ai.batch.queue.SizeBucket;

/**
 * Learns how long items take per (resource key, operation, size bucket), and how long each model takes to load.
 *
 * <ul>
 * <li>An item's estimate comes from the last {@value #WINDOW} samples of its own bucket, whenever the bucket has
 * any: their mean while there are fewer than {@value #ROBUST_FROM}, their median from then on (with that many, a
 * median ignores one outlier; the window follows drift).</li>
 * <li>A sample of an item that ran right after a model load ("cold") counts like any other. Once the model's
 * load time is known, it is taken off every cold sample longer than it; a cold sample that is not longer evidently
 * did not include a load and counts as it is.</li>
 * <li>Without samples in its bucket, an item borrows from other buckets of the same model and operation, warm
 * samples first: the warm UNKNOWN bucket, then another size's warm samples scaled by the ratio between the two
 * sizes seen on other models and operations, then the warm samples of all sizes; only then the UNKNOWN bucket and
 * all sizes with their cold samples (corrected as above). Never 0 ms for want of data: no data at all is
 * "unknown".</li>
 * <li>A model's load time is learned from each cold sample as soon as there is a warm reference for its bucket:
 * the bucket's own warm samples; else, for a size, the warm samples of the other sizes scaled as above; else, for
 * the UNKNOWN bucket, the warm samples of all sizes. The cold sample minus the reference, at least 0, is one load
 * sample; the load time is the typical value of those. A cold sample without a reference waits for one.</li>
 * </ul>
 * Not thread-safe: the queue calls it under its lock.
 */
public final class DurationModel {

    public static final int WINDOW = 16;

    /** From this many samples on, the median is used instead of the mean. */
    public static final int ROBUST_FROM = 5;

    private record Key(String resourceKey, String operation, SizeBucket bucket) {
    }

    private record Pair(String resourceKey, String operation) {
    }

    private record Cold(Key key, long ms) {
    }

    /** The last WINDOW samples, each marked cold or warm, and the lifetime count. */
    private static final class Samples {
        private final long[] ms = new long[WINDOW];
        private final boolean[] cold = new boolean[WINDOW];
        private int size;
        private int next;
        long count;

        void add(long value, boolean isCold) {
            ms[next] = value;
            cold[next] = isCold;
            next = (next + 1) % WINDOW;
            size = Math.min(size + 1, WINDOW);
            count++;
        }

        Series series(String resourceKey, String operation, SizeBucket bucket) {
            long[] values = new long[size];
            boolean[] coldFlags = new boolean[size];
            for (int i = 0; i < size; i++) {
                int index = (next - size + i + WINDOW) % WINDOW;
                values[i] = ms[index];
                coldFlags[i] = cold[index];
            }
            return new Series(resourceKey, operation, bucket, count, values, coldFlags);
        }

        static Samples of(Series series) {
            Samples samples = new Samples();
            for (int i = 0; i < series.ms().length; i++) {
                samples.add(series.ms()[i], series.cold()[i]);
            }
            samples.count = series.count();
            return samples;
        }

        boolean isEmpty() {
            return size == 0;
        }

        /**
         * The typical duration of these samples: their mean while there are fewer than {@value #ROBUST_FROM}, their
         * median from then on; empty when there are none.
         *
         * @param warmOnly leave the cold samples out
         * @param loadMs the model's learned load time, NaN when not known: a cold sample longer than it is taken
         *        without it; any other cold sample is taken as it is
         */
        OptionalDouble typical(boolean warmOnly, double loadMs) {
            double[] values = new double[size];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (!cold[i]) {
                    values[n++] = ms[i];
                } else if (!warmOnly) {
                    values[n++] = !Double.isNaN(loadMs) && ms[i] > loadMs ? ms[i] - loadMs : ms[i];
                }
            }
            return DurationModel.typical(values, n);
        }
    }

    /** Mean of the first {@code n} values below {@value #ROBUST_FROM} of them, median from then on. */
    private static OptionalDouble typical(double[] values, int n) {
        if (n == 0) {
            return OptionalDouble.empty();
        }
        if (n < ROBUST_FROM) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[i];
            }
            return OptionalDouble.of(sum / n);
        }
        Arrays.sort(values, 0, n);
        return OptionalDouble.of(n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0);
    }

    private final Map<Key, Samples> byBucket = new HashMap<>();
    private final Map<Pair, Samples> byOperation = new HashMap<>();
    private final Map<String, Samples> loads = new HashMap<>();
    private final Map<String, List<Cold>> unexplainedCold = new HashMap<>();

    /**
     * Records one completed item.
     *
     * @param cold whether it was the first item after its model was loaded (its time includes the load)
     */
    public void record(String resourceKey, String operation, SizeBucket bucket, long durationMs, boolean cold) {
        Key key = new Key(resourceKey, operation, bucket);
        byBucket.computeIfAbsent(key, k -> new Samples()).add(durationMs, cold);
        byOperation.computeIfAbsent(new Pair(resourceKey, operation), k -> new Samples()).add(durationMs, cold);
        if (cold) {
            unexplainedCold.computeIfAbsent(resourceKey, k -> new ArrayList<>()).add(new Cold(key, durationMs));
        }
        // any sample may give a pending cold sample its reference: a size ratio comes from other models too
        if (!unexplainedCold.isEmpty()) { // every completed item comes here: only models still waiting cost
            unexplainedCold.forEach(this::explainColdSamples);
            unexplainedCold.values().removeIf(List::isEmpty);
        }
    }

    /** Turns cold samples into load times once their bucket has a warm reference. */
    private void explainColdSamples(String resourceKey, List<Cold> pending) {
        pending.removeIf(sample -> {
            OptionalDouble warm = warmReference(sample.key());
            if (warm.isEmpty()) {
                return false;
            }
            loads.computeIfAbsent(resourceKey, k -> new Samples())
                    .add(Math.max(0, Math.round(sample.ms() - warm.getAsDouble())), false);
            return true;
        });
        if (pending.size() > WINDOW) {
            pending.subList(0, pending.size() - WINDOW).clear();
        }
    }

    /**
     * What an item of this bucket takes without a load, from warm samples only: the bucket's own; else, for a
     * size, the other sizes scaled; else, for UNKNOWN, all sizes of the model and operation. Empty without any.
     */
    private OptionalDouble warmReference(Key key) {
        OptionalDouble own = warm(byBucket.get(key));
        if (own.isPresent()) {
            return own;
        }
        if (key.bucket() != SizeBucket.UNKNOWN) {
            return scaledFromOtherSizes(key.resourceKey(), key.operation(), key.bucket());
        }
        return warm(byOperation.get(new Pair(key.resourceKey(), key.operation())));
    }

    private static OptionalDouble warm(Samples samples) {
        return samples == null ? OptionalDouble.empty() : samples.typical(true, Double.NaN);
    }

    public long sampleCount(String resourceKey, String operation, SizeBucket bucket) {
        Samples samples = byBucket.get(new Key(resourceKey, operation, bucket));
        return samples == null ? 0 : samples.count;
    }

    /**
     * The estimate of one item in ms, and how trustworthy it is (0..1); {@code null} when nothing is known. A bucket
     * with any sample is estimated from its own samples; otherwise from other buckets, warm samples first (see the
     * class comment).
     */
    public Estimate itemMs(String resourceKey, String operation, SizeBucket bucket) {
        double load = loadMs(resourceKey).orElse(Double.NaN);
        Samples exact = byBucket.get(new Key(resourceKey, operation, bucket));
        if (exact != null && !exact.isEmpty()) {
            return new Estimate(exact.typical(false, load).getAsDouble(), Math.min(1.0, exact.count / 5.0),
                    exact.count);
        }
        Samples all = byOperation.get(new Pair(resourceKey, operation));
        if (all == null || all.isEmpty()) {
            return null;
        }
        Samples unknown = byBucket.get(new Key(resourceKey, operation, SizeBucket.UNKNOWN));
        OptionalDouble warmUnknown = warm(unknown);
        if (warmUnknown.isPresent()) {
            return new Estimate(warmUnknown.getAsDouble(), 0.2, unknown.count);
        }
        OptionalDouble scaled = scaledFromOtherSizes(resourceKey, operation, bucket);
        if (scaled.isPresent()) {
            return new Estimate(scaled.getAsDouble(), 0.15, all.count);
        }
        OptionalDouble warmAll = warm(all);
        if (warmAll.isPresent()) {
            return new Estimate(warmAll.getAsDouble(), 0.1, all.count);
        }
        if (unknown != null && !unknown.isEmpty()) {
            return new Estimate(unknown.typical(false, load).getAsDouble(), 0.2, unknown.count);
        }
        return new Estimate(all.typical(false, load).getAsDouble(), 0.1, all.count);
    }

    /**
     * An item of a size without warm samples for this model and operation, from the sizes that have some, scaled by
     * the ratio between the two sizes seen on other models and operations (e.g. LARGE items take 2.5 times as long
     * as SMALL ones): the median over every such size that has a ratio. Warm samples only, on both sides.
     */
    private OptionalDouble scaledFromOtherSizes(String resourceKey, String operation, SizeBucket target) {
        if (target == SizeBucket.UNKNOWN) {
            return OptionalDouble.empty();
        }
        List<Double> candidates = new ArrayList<>();
        for (SizeBucket known : SizeBucket.values()) {
            if (known == target || known == SizeBucket.UNKNOWN) {
                continue;
            }
            OptionalDouble measured = warm(byBucket.get(new Key(resourceKey, operation, known)));
            OptionalDouble ratio = measured.isPresent() ? sizeRatio(known, target) : OptionalDouble.empty();
            if (ratio.isPresent()) {
                candidates.add(measured.getAsDouble() * ratio.getAsDouble());
            }
        }
        return median(candidates);
    }

    /**
     * The median over all models and operations with warm samples of both sizes of (time of {@code to} / time of
     * {@code from}).
     */
    private OptionalDouble sizeRatio(SizeBucket from, SizeBucket to) {
        List<Double> ratios = new ArrayList<>();
        for (Map.Entry<Key, Samples> entry : byBucket.entrySet()) {
            Key key = entry.getKey();
            if (key.bucket() != from) {
                continue;
            }
            OptionalDouble base = warm(entry.getValue());
            OptionalDouble scaled = warm(byBucket.get(new Key(key.resourceKey(), key.operation(), to)));
            if (base.isPresent() && scaled.isPresent() && base.getAsDouble() > 0) {
                ratios.add(scaled.getAsDouble() / base.getAsDouble());
            }
        }
        return median(ratios);
    }

    private static OptionalDouble median(List<Double> values) {
        if (values.isEmpty()) {
            return OptionalDouble.empty();
        }
        values.sort(null);
        int n = values.size();
        return OptionalDouble.of(n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2);
    }

    /** Records a load time measured directly (a runtime loaded the model on request). */
    public void recordLoad(String resourceKey, long ms) {
        loads.computeIfAbsent(resourceKey, k -> new Samples()).add(ms, false);
    }

    /** @return the learned load time of a model in ms, or empty */
    public OptionalDouble loadMs(String resourceKey) {
        Samples samples = loads.get(resourceKey);
        return samples == null ? OptionalDouble.empty() : samples.typical(false, Double.NaN);
    }

    /** Everything the model learned, to be written to a checkpoint and read back exactly. */
    public record Export(List<Series> buckets, List<Series> operations, List<Series> loads, List<Series> unexplainedCold) {
    }

    /**
     * One series of samples, oldest first.
     *
     * @param resourceKey the model
     * @param operation the operation, or null for load series
     * @param bucket the size bucket, or null
     * @param count lifetime number of samples
     * @param ms the samples kept
     * @param cold whether each sample was cold
     */
    public record Series(String resourceKey, String operation, SizeBucket bucket, long count, long[] ms, boolean[] cold) {
    }

    public Export export() {
        List<Series> buckets = new ArrayList<>();
        byBucket.forEach((key, samples) -> buckets.add(samples.series(key.resourceKey(), key.operation(),
                key.bucket())));
        List<Series> operations = new ArrayList<>();
        byOperation.forEach((pair, samples) -> operations.add(samples.series(pair.resourceKey(), pair.operation(),
                null)));
        List<Series> loadSeries = new ArrayList<>();
        loads.forEach((resource, samples) -> loadSeries.add(samples.series(resource, null, null)));
        List<Series> cold = new ArrayList<>();
        unexplainedCold.forEach((resource, samples) -> samples.forEach(sample -> cold.add(new Series(resource,
                sample.key().operation(), sample.key().bucket(), 1, new long[] {sample.ms()}, new boolean[] {true}))));
        return new Export(buckets, operations, loadSeries, cold);
    }

    /** Replaces everything learned with an export. */
    public void restore(Export export) {
        byBucket.clear();
        byOperation.clear();
        loads.clear();
        unexplainedCold.clear();
        export.buckets().forEach(series -> byBucket.put(new Key(series.resourceKey(), series.operation(),
                series.bucket()), Samples.of(series)));
        export.operations().forEach(series -> byOperation.put(new Pair(series.resourceKey(), series.operation()),
                Samples.of(series)));
        export.loads().forEach(series -> loads.put(series.resourceKey(), Samples.of(series)));
        export.unexplainedCold().forEach(series -> unexplainedCold.computeIfAbsent(series.resourceKey(),
                k -> new ArrayList<>()).add(new Cold(new Key(series.resourceKey(), series.operation(),
                        series.bucket()), series.ms()[0])));
    }

    /**
     * One item's estimate.
     *
     * @param ms expected duration
     * @param confidence 0..1
     * @param samples samples behind it
     */
    public record Estimate(double ms, double confidence, long samples) {
    }
}

package ai.batch.queue.impl.core;

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
 * <li>An item's estimate is the median of the last {@value #WINDOW} samples of its bucket: a median ignores a
 * single outlier, and the window follows drift. Samples of items that ran right after a model load ("cold")
 * count only as a last resort (see {@link #itemMs}).</li>
 * <li>Without samples in its bucket: the UNKNOWN bucket's median, then another size of the same model and
 * operation scaled by the ratio between the two sizes seen elsewhere, then the median of all sizes of that model
 * and operation. Never 0 ms for want of data: no data at all is "unknown".</li>
 * <li>A model's load time is the median of (cold sample - warm median of its bucket).</li>
 * </ul>
 * Not thread-safe: the queue calls it under its lock.
 */
final class DurationModel {

    static final int WINDOW = 16;

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

        /** Median of the warm samples, or of all when none is warm; empty when there are none. */
        OptionalDouble median() {
            OptionalDouble warm = median(true);
            return warm.isPresent() ? warm : median(false);
        }

        OptionalDouble median(boolean warmOnly) {
            long[] values = new long[size];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (!warmOnly || !cold[i]) {
                    values[n++] = ms[i];
                }
            }
            if (n == 0) {
                return OptionalDouble.empty();
            }
            Arrays.sort(values, 0, n);
            return OptionalDouble.of(n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0);
        }
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
    void record(String resourceKey, String operation, SizeBucket bucket, long durationMs, boolean cold) {
        Key key = new Key(resourceKey, operation, bucket);
        byBucket.computeIfAbsent(key, k -> new Samples()).add(durationMs, cold);
        byOperation.computeIfAbsent(new Pair(resourceKey, operation), k -> new Samples()).add(durationMs, cold);
        if (cold) {
            unexplainedCold.computeIfAbsent(resourceKey, k -> new ArrayList<>()).add(new Cold(key, durationMs));
        }
        explainColdSamples(resourceKey);
    }

    /** Turns cold samples into load times once their bucket has a warm median. */
    private void explainColdSamples(String resourceKey) {
        List<Cold> pending = unexplainedCold.get(resourceKey);
        if (pending == null) {
            return;
        }
        pending.removeIf(sample -> {
            OptionalDouble warm = byBucket.get(sample.key()).median(true);
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

    long sampleCount(String resourceKey, String operation, SizeBucket bucket) {
        Samples samples = byBucket.get(new Key(resourceKey, operation, bucket));
        return samples == null ? 0 : samples.count;
    }

    /**
     * The estimate of one item in ms, and how trustworthy it is (0..1); {@code null} when nothing is known.
     * Warm samples are preferred at every step: a bucket that has only cold samples (items that ran right after
     * a model load) is estimated from them minus the learned load time; without a learned load time, from the
     * warm samples of the UNKNOWN bucket or of all buckets; only when there is nothing warm at all, from the cold
     * samples as they are.
     */
    Estimate itemMs(String resourceKey, String operation, SizeBucket bucket) {
        Samples exact = byBucket.get(new Key(resourceKey, operation, bucket));
        Samples unknown = byBucket.get(new Key(resourceKey, operation, SizeBucket.UNKNOWN));
        Samples all = byOperation.get(new Pair(resourceKey, operation));
        if (exact != null) {
            double confidence = Math.min(1.0, exact.count / 5.0);
            OptionalDouble warm = exact.median(true);
            if (warm.isPresent()) {
                return new Estimate(warm.getAsDouble(), confidence, exact.count);
            }
            OptionalDouble load = loadMs(resourceKey);
            if (load.isPresent()) {
                double cold = exact.median(false).getAsDouble();
                return new Estimate(Math.max(0, cold - load.getAsDouble()), confidence, exact.count);
            }
        }
        OptionalDouble warmUnknown = unknown == null ? OptionalDouble.empty() : unknown.median(true);
        if (warmUnknown.isPresent()) {
            return new Estimate(warmUnknown.getAsDouble(), 0.2, unknown.count);
        }
        OptionalDouble scaled = scaledFromOtherSizes(resourceKey, operation, bucket);
        if (scaled.isPresent()) {
            return new Estimate(scaled.getAsDouble(), 0.15, all.count);
        }
        OptionalDouble warmAll = all == null ? OptionalDouble.empty() : all.median(true);
        if (warmAll.isPresent()) {
            return new Estimate(warmAll.getAsDouble(), 0.1, all.count);
        }
        if (exact != null) {
            return new Estimate(exact.median(false).getAsDouble(), Math.min(1.0, exact.count / 5.0), exact.count);
        }
        if (unknown != null) {
            return new Estimate(unknown.median(false).getAsDouble(), 0.2, unknown.count);
        }
        return all == null ? null : new Estimate(all.median(false).getAsDouble(), 0.1, all.count);
    }

    /**
     * An item of a size not yet measured for this model and operation, from the sizes that were, scaled by the
     * ratio between the two sizes seen on other models and operations (e.g. LARGE items take 2.5 times as long as
     * SMALL ones): the median over every measured size that has such a ratio.
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
            Samples samples = byBucket.get(new Key(resourceKey, operation, known));
            OptionalDouble measured = samples == null ? OptionalDouble.empty() : samples.median(true);
            OptionalDouble ratio = measured.isPresent() ? sizeRatio(known, target) : OptionalDouble.empty();
            if (ratio.isPresent()) {
                candidates.add(measured.getAsDouble() * ratio.getAsDouble());
            }
        }
        return median(candidates);
    }

    /** The median over all models and operations measured in both sizes of (time of {@code to} / time of {@code from}). */
    private OptionalDouble sizeRatio(SizeBucket from, SizeBucket to) {
        List<Double> ratios = new ArrayList<>();
        for (Map.Entry<Key, Samples> entry : byBucket.entrySet()) {
            Key key = entry.getKey();
            if (key.bucket() != from) {
                continue;
            }
            Samples other = byBucket.get(new Key(key.resourceKey(), key.operation(), to));
            OptionalDouble base = entry.getValue().median(true);
            OptionalDouble scaled = other == null ? OptionalDouble.empty() : other.median(true);
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

    /** @return the learned load time of a model in ms, or empty */
    OptionalDouble loadMs(String resourceKey) {
        Samples samples = loads.get(resourceKey);
        return samples == null ? OptionalDouble.empty() : samples.median(false);
    }

    /** Everything the model learned, to be written to a checkpoint and read back exactly. */
    record Export(List<Series> buckets, List<Series> operations, List<Series> loads, List<Series> unexplainedCold) {
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
    record Series(String resourceKey, String operation, SizeBucket bucket, long count, long[] ms, boolean[] cold) {
    }

    Export export() {
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
    void restore(Export export) {
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
    record Estimate(double ms, double confidence, long samples) {
    }
}

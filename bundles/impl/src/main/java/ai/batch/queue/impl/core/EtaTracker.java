package ai.batch.queue.impl.core;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

import ai.batch.queue.SizeBucket;

/**
 * Learns item durations per (resource key, operation, size bucket) and estimates items from them: the exact
 * bucket's mean, else the UNKNOWN bucket's, else the mean over all buckets of that resource key and operation.
 * Not thread-safe: the queue calls it under its lock.
 */
final class EtaTracker {

    private record Key(String resourceKey, String operation, SizeBucket bucket) {
    }

    private record Pair(String resourceKey, String operation) {
    }

    private static final class Stats {
        long count;
        long sumMs;

        void add(long ms) {
            count++;
            sumMs += ms;
        }

        double mean() {
            return (double) sumMs / count;
        }
    }

    private final Map<Key, Stats> byBucket = new HashMap<>();
    private final Map<Pair, Stats> byOperation = new HashMap<>();

    void record(String resourceKey, String operation, SizeBucket bucket, long durationMs) {
        byBucket.computeIfAbsent(new Key(resourceKey, operation, bucket), key -> new Stats()).add(durationMs);
        byOperation.computeIfAbsent(new Pair(resourceKey, operation), key -> new Stats()).add(durationMs);
    }

    long sampleCount(String resourceKey, String operation, SizeBucket bucket) {
        Stats stats = byBucket.get(new Key(resourceKey, operation, bucket));
        return stats == null ? 0 : stats.count;
    }

    /**
     * The expected duration of one item.
     *
     * @return the estimate in ms, or empty when nothing was learned for this resource key and operation
     */
    OptionalDouble estimateItemMs(String resourceKey, String operation, SizeBucket bucket) {
        Stats stats = byBucket.get(new Key(resourceKey, operation, bucket));
        if (stats == null) {
            stats = byBucket.get(new Key(resourceKey, operation, SizeBucket.UNKNOWN));
        }
        if (stats == null) {
            stats = byOperation.get(new Pair(resourceKey, operation));
        }
        return stats == null ? OptionalDouble.empty() : OptionalDouble.of(stats.mean());
    }
}

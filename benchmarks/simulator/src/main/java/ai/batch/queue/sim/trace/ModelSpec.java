package ai.batch.queue.sim.trace;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import ai.batch.queue.SizeBucket;

/**
 * A simulated model on the GPU.
 *
 * @param name the resource key
 * @param loadMs time to load it, added to the first item after a switch to it
 * @param itemMs mean processing time of one item per size bucket
 * @param noise relative item-time noise: each item takes {@code itemMs * (1 + u)}, {@code u} uniform in
 *        {@code [-noise, +noise)}
 * @param failureRate probability that an item fails (it still takes its time)
 */
public record ModelSpec(String name, long loadMs, Map<SizeBucket, Long> itemMs, double noise, double failureRate) {

    public ModelSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("model name must not be blank");
        }
        if (loadMs < 0) {
            throw new IllegalArgumentException("loadMs must not be negative, was " + loadMs);
        }
        if (itemMs.isEmpty()) {
            throw new IllegalArgumentException("itemMs needs at least one size bucket");
        }
        itemMs.forEach((bucket, ms) -> {
            if (ms <= 0) {
                throw new IllegalArgumentException("itemMs." + bucket.name().toLowerCase() + " must be > 0, was " + ms);
            }
        });
        if (!(noise >= 0 && noise < 1)) {
            throw new IllegalArgumentException("noise must be in [0, 1), was " + noise);
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failureRate must be in [0, 1], was " + failureRate);
        }
        itemMs = Map.copyOf(new EnumMap<>(itemMs));
    }

    /** @return whether items of that size can be simulated */
    public boolean handles(SizeBucket bucket) {
        return itemMs.containsKey(bucket);
    }

    /** @return the mean time of one item of that size */
    public long meanItemMs(SizeBucket bucket) {
        Long ms = itemMs.get(bucket);
        if (ms == null) {
            throw new IllegalArgumentException("model '" + name + "' has no item time for " + bucket);
        }
        return ms;
    }

    /** @return the longest an item of that size can take, load excluded */
    public long maxItemMs(SizeBucket bucket) {
        return (long) Math.ceil(meanItemMs(bucket) * (1 + noise));
    }
}

package ai.batch.queue.sim.trace;

import java.util.List;
import java.util.Objects;

import ai.batch.queue.SizeBucket;

/**
 * A job in a trace.
 *
 * @param id the job id given to the queue
 * @param atMs when it is enqueued, in ms from the start of the trace
 * @param model the model (resource key)
 * @param operation the operation
 * @param items the size of each item, in processing order
 */
public record JobSpec(String id, long atMs, String model, String operation, List<SizeBucket> items) {

    public JobSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(operation, "operation");
        if (atMs < 0) {
            throw new IllegalArgumentException("job " + id + ": at must not be negative, was " + atMs);
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("job " + id + " has no items");
        }
        items = List.copyOf(items);
    }
}

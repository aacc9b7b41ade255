package ai.batch.queue.fleet;

import java.util.Objects;
import java.util.Set;

import ai.batch.queue.handler.BatchItemHandler;

/**
 * One slot of this node: a handler that drives one runtime, the models it serves, and how many items it takes
 * per call.
 *
 * @param name the slot's name, unique on this node (the fleet knows it as {@code node/name})
 * @param handler the handler
 * @param serves the models it serves ({@code "*"} for any)
 * @param batchSize the handler's {@code ai.batch.batchSize}: items per call, 1 for one {@code process} call each
 */
record FleetSlot(String name, BatchItemHandler<Object> handler, Set<String> serves, int batchSize) {

    FleetSlot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        serves = Set.copyOf(serves);
        if (batchSize < 1) {
            throw new IllegalArgumentException("Slot " + name + ": batch size must be at least 1, not " + batchSize);
        }
    }
}

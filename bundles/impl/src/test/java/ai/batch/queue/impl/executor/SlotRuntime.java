package ai.batch.queue.impl.executor;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.impl.handlers.HandlerRegistration;

/**
 * A simulated runtime that holds one model at a time: switching models costs {@code loadMs}, each item
 * {@code itemMs}. Counts its own loads, records which items it ran, and notices two calls at once.
 */
final class SlotRuntime implements BatchItemHandler<Object> {

    final String slot;
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    final Set<String> ran = ConcurrentHashMap.newKeySet();
    private final long loadMs;
    private final long itemMs;
    private final AtomicInteger inCall = new AtomicInteger();
    private volatile String model;

    SlotRuntime(String slot, long loadMs, long itemMs) {
        this.slot = slot;
        this.loadMs = loadMs;
        this.itemMs = itemMs;
    }

    @Override
    public ItemResult process(Object data, ItemContext context) throws Exception {
        if (inCall.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        try {
            if (!context.resourceKey().equals(model)) {
                loads.incrementAndGet();
                Thread.sleep(loadMs); // the simulated model load
                model = context.resourceKey();
            }
            Thread.sleep(itemMs); // the simulated inference
            ran.add(context.jobId() + "/" + context.itemId());
            return ItemResult.successWithOutput(slot);
        } finally {
            inCall.decrementAndGet();
        }
    }

    /** The runtime holds this model from the start (loaded before the queue came). */
    SlotRuntime holding(String loaded) {
        model = loaded;
        return this;
    }

    /** @return the registration of this runtime as a slot serving {@code models} */
    HandlerRegistration registration(long serviceId, String... models) {
        return HandlerRegistration.of(this, Map.of(RESOURCE, models, SLOT, slot, "service.id", serviceId));
    }
}

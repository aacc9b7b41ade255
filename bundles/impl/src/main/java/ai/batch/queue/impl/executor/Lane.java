package ai.batch.queue.impl.executor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import ai.batch.queue.impl.handlers.HandlerRegistration;

/**
 * The lanes one slot runs in a shared {@link JobRun}: the slot's own handler, the slot's item counter, and how
 * many of its lanes are still in the run (guarded by the run's monitor).
 */
final class Lane {
    final HandlerRegistration handler;
    final String slot;
    final LongAdder itemsDone;
    /** Whether the next item it settles includes the slot's load of the model (it did not hold it). */
    private final AtomicBoolean cold;
    int active; // guarded by the JobRun's monitor

    Lane(HandlerRegistration handler, String slot, LongAdder itemsDone, boolean cold) {
        this.handler = handler;
        this.slot = slot;
        this.itemsDone = itemsDone;
        this.cold = new AtomicBoolean(cold);
    }

    /** @return whether the item being settled is the slot's first on a model it had to load (once only) */
    boolean takeCold() {
        return cold.getAndSet(false);
    }
}

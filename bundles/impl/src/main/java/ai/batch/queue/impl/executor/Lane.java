package ai.batch.queue.impl.executor;

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
    int active; // guarded by the JobRun's monitor

    Lane(HandlerRegistration handler, String slot, LongAdder itemsDone) {
        this.handler = handler;
        this.slot = slot;
        this.itemsDone = itemsDone;
    }
}

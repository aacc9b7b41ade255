package ai.batch.queue.impl.core;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Delivers notifications in the order they were submitted, outside the queue's lock. Notifications are
 * submitted under the lock (just a queue offer) and delivered by whichever thread calls {@link #drain()} after
 * releasing it; one thread delivers at a time, so listeners see changes in order. A caller whose drain finds
 * another thread delivering returns at once; that thread delivers its notifications too.
 */
final class OrderedDispatcher {

    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final BiConsumer<String, Throwable> onListenerFailure;

    OrderedDispatcher(BiConsumer<String, Throwable> onListenerFailure) {
        this.onListenerFailure = onListenerFailure;
    }

    void submit(Runnable notification) {
        pending.add(notification);
    }

    void drain() {
        while (!pending.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Runnable next;
                while ((next = pending.poll()) != null) {
                    try {
                        next.run();
                    } catch (VirtualMachineError fatal) {
                        throw fatal;
                    } catch (Throwable e) { // a listener's failure must never reach the queue's caller
                        onListenerFailure.accept("A queue listener failed", e);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }
}

package ai.batch.queue.impl.notify;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Delivers notifications in the order they were submitted, outside the queue's lock, on the writing threads:
 * notifications are submitted under the lock (just a queue offer) and delivered by whichever thread calls
 * {@link #drain()} after releasing it; one thread delivers at a time, so listeners see changes in order. A caller
 * whose drain finds another thread delivering returns at once; that thread delivers its notifications too.
 * This is the plain, single-threaded mode; {@link NotificationThread} is the one a running service uses.
 */
public class OrderedDispatcher {

    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    final BiConsumer<String, Throwable> onListenerFailure;
    final Runnable onIdle;

    /** @param onIdle run, in order, whenever every notification submitted so far has been delivered */
    public OrderedDispatcher(BiConsumer<String, Throwable> onListenerFailure, Runnable onIdle) {
        this.onListenerFailure = onListenerFailure;
        this.onIdle = onIdle;
    }

    /**
     * Takes the notifications of one write; called under the queue's lock, in the order of the writes.
     *
     * @param ticket the change log ticket that must be durable before they are delivered (0: none)
     */
    public void submit(long ticket, List<Runnable> notifications) {
        pending.addAll(notifications);
    }

    /** @return whether the writer must wait for its changes to be durable before {@link #afterWrite} */
    public boolean writerAwaitsDurability() {
        return true;
    }

    /** Called by a writer after releasing the lock (and after its changes are durable). */
    public void afterWrite() {
        drain();
    }

    /**
     * Called by a reader after releasing the lock when its read handed over notifications (a plan gone stale
     * with time): this plain mode delivers them on the reading thread; a thread of its own delivers them itself.
     */
    public void afterRead() {
        drain();
    }

    /** Delivers everything submitted so far before returning (unless the calling thread is delivering). */
    public void flush() {
        drain();
    }

    /** Stops delivering, after delivering what was submitted. */
    public void close() {
        drain();
    }

    private void drain() {
        while (!pending.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Runnable next;
                while ((next = pending.poll()) != null) {
                    deliver(next);
                }
                deliver(onIdle);
            } finally {
                draining.set(false);
            }
        }
    }

    final void deliver(Runnable notification) {
        try {
            notification.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) { // a listener's failure must never reach the queue's caller
            onListenerFailure.accept("A queue listener failed", e);
        }
    }
}

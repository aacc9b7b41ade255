package ai.batch.queue.impl.notify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * Delivers notifications on one thread of its own, in the order of the writes, each batch only once the changes
 * it reports are durable. Writers hand over their notifications and go on; the executor therefore never waits
 * for an fsync or for a listener (group commit: one fsync covers everything written meanwhile). The backlog is
 * bounded: a writer finding more than {@code capacity} notifications undelivered waits until there is room
 * again, for at most {@code maxWaitMs} (so a stuck listener slows the queue down but can never wedge it); writes
 * made on the delivering thread itself (a listener calling the queue) never wait.
 */
public final class NotificationThread extends OrderedDispatcher {

    private record Batch(long ticket, List<Runnable> notifications) {
    }

    private final LongConsumer awaitDurable;
    private final int capacity;
    private final long maxWaitMs;
    private final BiConsumer<String, Throwable> onSlowListeners;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final Condition progressed = lock.newCondition();
    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private final Thread thread;
    private long submitted;
    private long delivered;
    private boolean closed;
    private boolean warned;

    public NotificationThread(BiConsumer<String, Throwable> onListenerFailure, Runnable onIdle, LongConsumer awaitDurable,
            int capacity, long maxWaitMs, String threadName) {
        super(onListenerFailure, onIdle);
        this.awaitDurable = awaitDurable;
        this.capacity = capacity;
        this.maxWaitMs = maxWaitMs;
        this.onSlowListeners = onListenerFailure;
        this.thread = new Thread(this::deliverLoop, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void submit(long ticket, List<Runnable> notifications) {
        lock.lock();
        try {
            batches.add(new Batch(ticket, notifications));
            submitted += notifications.size();
            available.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean writerAwaitsDurability() {
        return false;
    }

    @Override
    public void afterWrite() {
        if (Thread.currentThread() == thread) {
            return;
        }
        lock.lock();
        try {
            if (submitted - delivered <= capacity) {
                return;
            }
            long left = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
            while (submitted - delivered > capacity && !closed) {
                if (left <= 0) {
                    if (!warned) {
                        warned = true;
                        onSlowListeners.accept("Queue listeners (event subscribers) have not taken a notification "
                                + "for " + maxWaitMs + " ms; " + (submitted - delivered) + " are waiting; the queue "
                                + "goes on without waiting for them", null);
                    }
                    return;
                }
                left = progressed.awaitNanos(left);
            }
            warned = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void afterRead() {
        // delivered by this thread; a reader never waits for room
    }

    @Override
    public void flush() {
        if (Thread.currentThread() == thread) {
            return;
        }
        lock.lock();
        try {
            long target = submitted;
            long left = TimeUnit.SECONDS.toNanos(30);
            while (delivered < target && thread.isAlive() && left > 0) {
                left = progressed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            available.signalAll();
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return how many notifications wait for delivery */
    public long backlog() {
        lock.lock();
        try {
            return submitted - delivered;
        } finally {
            lock.unlock();
        }
    }

    private void deliverLoop() {
        List<Batch> taken = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                while (batches.isEmpty() && !closed) {
                    available.awaitUninterruptibly();
                }
                if (batches.isEmpty()) {
                    return; // closed, everything delivered
                }
                taken.addAll(batches);
                batches.clear();
            } finally {
                lock.unlock();
            }
            long ticket = 0;
            for (Batch batch : taken) {
                ticket = Math.max(ticket, batch.ticket());
            }
            awaitDurable.accept(ticket); // one wait covers the whole batch: group commit
            long count = 0;
            for (Batch batch : taken) {
                for (Runnable notification : batch.notifications()) {
                    deliver(notification);
                }
                count += batch.notifications().size();
            }
            taken.clear();
            boolean idle;
            lock.lock();
            try {
                delivered += count;
                idle = batches.isEmpty();
                progressed.signalAll();
            } finally {
                lock.unlock();
            }
            if (idle) {
                deliver(onIdle);
            }
        }
    }
}

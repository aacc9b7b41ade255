package ai.batch.queue.impl.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import ai.batch.queue.impl.notify.NotificationThread;
import ai.batch.queue.impl.notify.OrderedDispatcher;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.notify.QueueListeners;

/**
 * The queue's lock and the discipline around it. A change happens inside {@link #write}: under the lock it is
 * recorded ({@link #log}) and its notifications are queued ({@link #notify}); after the lock is released the
 * caller waits for the change to be durable and the notifications are delivered in order, so no listener and no
 * fsync ever runs under the lock. A {@link #read} only takes the lock: it never waits for durability nor for
 * listeners.
 */
final class WriteGate implements QueueListeners {

    /** A piece of work under the lock. */
    interface Action<T> {
        T run();
    }

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<QueueListener> listeners = new CopyOnWriteArrayList<>();
    private final BiConsumer<String, Throwable> onListenerFailure;
    private final Runnable afterEachWrite;
    /** Set under the lock; volatile so that the notification thread reads it without taking the lock. */
    private volatile ChangeLog changeLog = ChangeLog.NONE;
    private volatile OrderedDispatcher dispatcher;
    private long pendingTicket;
    /** The time of the write in progress: every change in one write happens at the same instant. */
    private Instant writeTime;
    /** The notifications of the write in progress, handed to the dispatcher when it ends. */
    private List<Runnable> notes = new ArrayList<>();

    /**
     * @param afterEachWrite run under the lock at the end of every successful write and read, to add the
     *        notifications that sum it up
     */
    WriteGate(Clock clock, BiConsumer<String, Throwable> onListenerFailure, Runnable afterEachWrite) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onListenerFailure = onListenerFailure;
        this.afterEachWrite = afterEachWrite;
        this.dispatcher = new OrderedDispatcher(onListenerFailure, this::idle);
    }

    private void idle() {
        for (QueueListener listener : listeners) {
            listener.idle();
        }
    }

    void deliverOnThread(int capacity, long maxWaitMs, String threadName) {
        if (capacity < 1 || maxWaitMs < 0) {
            throw new IllegalArgumentException("capacity must be at least 1 and maxWaitMs not negative, were "
                    + capacity + " and " + maxWaitMs);
        }
        switchDispatcher(new NotificationThread(onListenerFailure, this::idle,
                ticket -> changeLog.awaitDurable(ticket), capacity, maxWaitMs, threadName));
    }

    void flushNotifications() {
        dispatcher.flush();
    }

    void closeNotifications() {
        switchDispatcher(new OrderedDispatcher(onListenerFailure, this::idle));
    }

    /** Writes submit to the new dispatcher from now on; the previous one delivers what it has, then stops. */
    private void switchDispatcher(OrderedDispatcher next) {
        OrderedDispatcher previous;
        lock.lock();
        try {
            previous = dispatcher;
            dispatcher = next;
        } finally {
            lock.unlock();
        }
        previous.close();
    }

    void runInOrder(Runnable task) {
        Objects.requireNonNull(task, "task");
        write(() -> {
            notes.add(task);
            return null;
        });
    }

    @Override
    public void add(QueueListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void remove(QueueListener listener) {
        listeners.remove(listener);
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** @return whether some listener wants the remaining-time estimate with every finished item */
    boolean itemEstimatesWanted() {
        for (QueueListener listener : listeners) {
            if (listener.wantsItemEstimates()) {
                return true;
            }
        }
        return false;
    }

    /** Queues a notification for every listener; call under the lock. */
    void notify(Consumer<QueueListener> notification) {
        for (QueueListener listener : listeners) {
            notes.add(() -> notification.accept(listener));
        }
    }

    /** @return the time of the write in progress, or the clock's time outside a write */
    Instant now() {
        Instant at = writeTime;
        return at != null ? at : clock.instant();
    }

    void setChangeLog(ChangeLog log) {
        Objects.requireNonNull(log, "log");
        write(() -> {
            changeLog = log;
            return null;
        });
    }

    /**
     * Records a change; call under the lock, after every check has passed and before the state changes, so a
     * change that cannot be recorded is rejected with nothing changed.
     */
    void log(Change change) {
        long ticket = changeLog.append(change);
        if (ticket > pendingTicket) {
            pendingTicket = ticket;
        }
    }

    /** Makes a change; returns once it is durable. */
    <T> T write(Action<T> action) {
        return write(action, true);
    }

    /**
     * Makes a change for the executor, which need not wait for it to be durable: with a notification thread,
     * it goes on at once, and the change is announced (notified) only once durable.
     */
    <T> T writeUnacknowledged(Action<T> action) {
        return write(action, false);
    }

    private <T> T write(Action<T> action, boolean acknowledged) {
        Locked<T> locked = underLock(action);
        if (!locked.outermost) {
            return locked.result; // the outermost write acknowledges and delivers
        }
        // Acknowledged (returned, announced) only once durable.
        if (acknowledged || locked.delivery.writerAwaitsDurability()) {
            locked.log.awaitDurable(locked.ticket);
        }
        locked.delivery.afterWrite();
        return locked.result;
    }

    /**
     * Reads under the lock. A read records nothing; if it brings state up to date (a plan gone stale with time),
     * the resulting notifications are handed to the dispatcher without waiting for room or for listeners: a
     * read never waits for event subscribers.
     */
    <T> T read(Action<T> action) {
        T result;
        OrderedDispatcher delivery;
        boolean handedOver;
        lock.lock();
        try {
            result = action.run(); // outside a write, now() is the clock's time
            afterEachWrite.run();
        } finally {
            delivery = dispatcher;
            handedOver = writeTime == null && handOver(delivery, pendingTicket); // a write inside hands over itself
            lock.unlock();
        }
        if (handedOver) {
            delivery.afterRead();
        }
        return result;
    }

    /** What one piece of work under the lock left for after the lock: its result and where its changes go. */
    private static final class Locked<T> {
        T result;
        boolean outermost;
        long ticket;
        ChangeLog log;
        OrderedDispatcher delivery;
    }

    /**
     * Runs an action under the lock at one instant, ends it with {@code afterEachWrite}, and (for the outermost
     * one) hands its notifications to the dispatcher before releasing the lock, so they keep the order of the
     * writes. A failed write still lets the dispatcher deliver what earlier writes queued.
     */
    private <T> Locked<T> underLock(Action<T> action) {
        Locked<T> locked = new Locked<>();
        boolean done = false;
        lock.lock();
        Instant outerTime = writeTime;
        try {
            if (outerTime == null) {
                writeTime = clock.instant();
            }
            locked.result = action.run();
            afterEachWrite.run();
            done = true;
        } finally {
            writeTime = outerTime;
            locked.outermost = outerTime == null;
            locked.ticket = pendingTicket;
            locked.delivery = dispatcher;
            locked.log = changeLog;
            if (locked.outermost) {
                pendingTicket = 0;
                handOver(locked.delivery, locked.ticket);
            }
            lock.unlock();
            if (!done) {
                locked.delivery.afterWrite();
            }
        }
        return locked;
    }

    private boolean handOver(OrderedDispatcher delivery, long ticket) {
        if (notes.isEmpty()) {
            return false;
        }
        delivery.submit(ticket, notes);
        notes = new ArrayList<>();
        return true;
    }
}

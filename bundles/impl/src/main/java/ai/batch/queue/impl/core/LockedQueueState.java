package ai.batch.queue.impl.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The queue's state (jobs, plan, timing model, pause flag), its lock and listeners, and the discipline around
 * them: state changes happen inside {@link #write}, which queues notifications while holding the lock and
 * delivers them in order after releasing it, so no listener ever runs under the lock.
 */
abstract class LockedQueueState {

    final Map<String, JobRecord> jobs = new LinkedHashMap<>();
    final Map<String, JobRecord> running = new HashMap<>();
    /** The finished jobs in the order they finished (oldest first), for retention without a scan. */
    final Map<String, JobRecord> finished = new LinkedHashMap<>();
    final Clock clock;
    final PlanState plan;
    final DurationModel durations = new DurationModel();
    final Estimator estimator = new Estimator(durations);
    long nextSeq;
    boolean paused;
    /** Set under the lock; volatile so that the notification thread reads it without taking the lock. */
    private volatile ChangeLog changeLog = ChangeLog.NONE;
    private long pendingTicket;
    /** The time of the write in progress: every change in one write happens at the same instant. */
    private Instant writeTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<QueueListener> listeners = new CopyOnWriteArrayList<>();
    private final BiConsumer<String, Throwable> onListenerFailure;
    private volatile OrderedDispatcher dispatcher;
    /** The notifications of the write in progress, handed to the dispatcher when it ends. */
    private List<Runnable> notes = new ArrayList<>();

    LockedQueueState(Clock clock, JobPlanner planner, BiConsumer<String, Throwable> onListenerFailure) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.plan = new PlanState(Objects.requireNonNull(planner, "planner"));
        this.onListenerFailure = onListenerFailure;
        this.dispatcher = new OrderedDispatcher(onListenerFailure, this::idle);
    }

    private void idle() {
        for (QueueListener listener : listeners) {
            listener.idle();
        }
    }

    /**
     * Delivers notifications from now on on a thread of their own, each once the change it reports is durable,
     * instead of on the writing threads (see {@link NotificationThread}).
     *
     * @param capacity the most notifications waiting for delivery before writers wait for room
     * @param maxWaitMs the longest a writer waits for room
     * @param threadName the delivering thread's name
     */
    public void deliverOnThread(int capacity, long maxWaitMs, String threadName) {
        if (capacity < 1 || maxWaitMs < 0) {
            throw new IllegalArgumentException("capacity must be at least 1 and maxWaitMs not negative, were "
                    + capacity + " and " + maxWaitMs);
        }
        switchDispatcher(new NotificationThread(onListenerFailure, this::idle,
                ticket -> changeLog.awaitDurable(ticket), capacity, maxWaitMs, threadName));
    }

    /** Waits until the notifications of every write so far are delivered (at most 30 s). */
    public void flushNotifications() {
        dispatcher.flush();
    }

    /** Delivers what is left and stops the notification thread, if any; later writes notify on their thread. */
    public void closeNotifications() {
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

    /**
     * Runs a task in order with the notifications of the writes before and after it (on the notification thread
     * when there is one), e.g. to deliver an event that does not come from a change.
     */
    public void runInOrder(Runnable task) {
        Objects.requireNonNull(task, "task");
        write(() -> {
            notes.add(task);
            return null;
        });
    }

    public void addListener(QueueListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(QueueListener listener) {
        listeners.remove(listener);
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    JobRecord job(String jobId) {
        JobRecord record = jobId == null ? null : jobs.get(jobId);
        if (record == null) {
            throw new NoSuchElementException("No job with id '" + jobId + "'");
        }
        return record;
    }

    /** Records that a job just finished (again): it goes last in {@link #finished}; call under the lock. */
    void finishedInOrder(JobRecord record) {
        finished.remove(record.id);
        finished.put(record.id, record);
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

    /** Records changes from now on (for instance after a replay that must not be recorded again). */
    public void setChangeLog(ChangeLog log) {
        write(() -> {
            changeLog = Objects.requireNonNull(log, "log");
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

    /** Called under the lock at the end of every successful write, to add notifications that sum it up. */
    abstract void afterWrite();

    interface Action<T> {
        T run();
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
        long ticket;
        ChangeLog log;
        OrderedDispatcher delivery;
        T result;
        boolean done = false;
        lock.lock();
        Instant outerTime = writeTime;
        try {
            if (outerTime == null) {
                writeTime = clock.instant();
            }
            result = action.run();
            afterWrite();
            done = true;
        } finally {
            writeTime = outerTime;
            ticket = pendingTicket;
            delivery = dispatcher;
            if (outerTime == null) {
                pendingTicket = 0;
                if (!notes.isEmpty()) {
                    delivery.submit(ticket, notes);
                    notes = new ArrayList<>();
                }
            }
            log = changeLog;
            lock.unlock();
            if (!done) {
                delivery.afterWrite();
            }
        }
        if (outerTime != null) {
            return result; // the outermost write acknowledges and delivers
        }
        // Acknowledged (returned, announced) only once durable.
        if (acknowledged || delivery.writerAwaitsDurability()) {
            log.awaitDurable(ticket);
        }
        delivery.afterWrite();
        return result;
    }

    <T> T read(Action<T> action) {
        lock.lock();
        try {
            return action.run();
        } finally {
            lock.unlock();
        }
    }
}

package ai.batch.queue.impl.core;

import java.time.Clock;
import java.time.Instant;
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
    final Clock clock;
    final PlanState plan;
    final DurationModel durations = new DurationModel();
    final Estimator estimator = new Estimator(durations);
    long nextSeq;
    boolean paused;
    private ChangeLog changeLog = ChangeLog.NONE;
    private long pendingTicket;
    /** The time of the write in progress: every change in one write happens at the same instant. */
    private Instant writeTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<QueueListener> listeners = new CopyOnWriteArrayList<>();
    private final OrderedDispatcher dispatcher;

    LockedQueueState(Clock clock, JobPlanner planner, BiConsumer<String, Throwable> onListenerFailure) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.plan = new PlanState(Objects.requireNonNull(planner, "planner"));
        this.dispatcher = new OrderedDispatcher(onListenerFailure);
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

    /** Queues a notification for every listener; call under the lock. */
    void notify(Consumer<QueueListener> notification) {
        for (QueueListener listener : listeners) {
            dispatcher.submit(() -> notification.accept(listener));
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

    <T> T write(Action<T> action) {
        long ticket;
        ChangeLog log;
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
            pendingTicket = 0;
            log = changeLog;
            lock.unlock();
            if (!done) {
                dispatcher.drain();
            }
        }
        // Acknowledged (returned, announced) only once durable.
        log.awaitDurable(ticket);
        dispatcher.drain();
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

package ai.batch.queue.impl.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.service.log.Logger;

import ai.batch.queue.BatchJob;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.ExecutorQueue;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * Starts queued jobs whose model has a handler and runs them. Runner threads sleep on a condition and wake on
 * every change that could let a job start (enqueue, retry, a handler arriving, a job ending): no polling.
 */
public final class QueueExecutor implements QueueListener {

    private final ExecutorQueue queue;
    private final HandlerRegistry handlers;
    private final Logger logger;
    private final Set<RunningCall> inFlight = ConcurrentHashMap.newKeySet();
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wake = wakeLock.newCondition();
    private final List<Thread> runners = new ArrayList<>();
    private final ExecutorService laneThreads;
    private final ThreadFactory runnerThreads;
    private final Watchdog watchdog;
    private final SlotWorkers slotWorkers;
    private volatile QueueSettings settings;
    private long generation;
    private boolean closed;

    public QueueExecutor(ExecutorQueue queue, HandlerRegistry handlers, QueueSettings settings, Logger logger) {
        this.queue = queue;
        this.handlers = handlers;
        this.settings = settings;
        this.logger = logger;
        this.laneThreads = Executors.newCachedThreadPool(threads(settings.threadNamePrefix() + "-lane"));
        this.runnerThreads = threads(settings.threadNamePrefix() + "-runner");
        this.watchdog = new Watchdog(inFlight, () -> this.settings.itemTimeoutMs(), this::abandoned,
                e -> logger.error("The executor's watchdog failed to take over an abandoned call", e),
                settings.threadNamePrefix() + "-watchdog");
        this.slotWorkers = new SlotWorkers(queue, handlers, new SlotWorkers.Host() {
            @Override
            public long generation() {
                return currentGeneration();
            }

            @Override
            public boolean awaitChange(long seen) {
                return QueueExecutor.this.awaitChange(seen);
            }

            @Override
            public boolean enabled() {
                return QueueExecutor.this.settings.executorEnabled();
            }

            @Override
            public JobRun.Context context() {
                return runContext();
            }

            @Override
            public double stealFactor() {
                return QueueExecutor.this.settings.stealFactor();
            }
        }, logger, settings.threadNamePrefix());
        queue.setSlotsServing(handlers::slotsServing);
        handlers.addChangeListener(this::handlersChanged);
        queue.listeners().add(this);
        resize(settings.concurrentJobs());
        slotWorkers.refresh();
        signal();
    }

    /** Applies new settings; queued and running jobs are kept. */
    public void update(QueueSettings newSettings) {
        settings = newSettings;
        resize(newSettings.concurrentJobs());
        signal();
    }

    /**
     * Stops the runners; running items are stopped and their jobs put back in the queue.
     *
     * @param timeoutMs how long to wait for each runner thread
     */
    public void close(long timeoutMs) {
        queue.listeners().remove(this);
        queue.setSlotsServing(null);
        wakeLock.lock();
        try {
            closed = true;
            wake.signalAll();
        } finally {
            wakeLock.unlock();
        }
        inFlight.forEach(call -> call.stop(RunningCall.StopReason.STOPPING));
        slotWorkers.close(timeoutMs);
        List<Thread> toJoin;
        synchronized (runners) {
            toJoin = new ArrayList<>(runners);
            runners.clear();
        }
        for (Thread runner : toJoin) {
            runner.interrupt();
            try {
                runner.join(timeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (runner.isAlive()) {
                logger.warn("Executor thread {} did not stop within {} ms", runner.getName(), timeoutMs);
            }
        }
        watchdog.close();
        laneThreads.shutdownNow();
    }

    private void resize(int wanted) {
        synchronized (runners) {
            runners.removeIf(thread -> !thread.isAlive());
            while (runners.size() < wanted) {
                Thread runner = runnerThreads.newThread(this::runLoop);
                runners.add(runner);
                runner.start();
            }
            // Surplus runners notice in runLoop and end after their current job.
        }
    }

    /** @return {@code true} if the current runner thread is not needed any more (and no longer counted) */
    private boolean surplus() {
        synchronized (runners) {
            if (!runners.contains(Thread.currentThread())) {
                return true; // replaced after its call was abandoned
            }
            if (runners.size() > settings.concurrentJobs()) {
                runners.remove(Thread.currentThread());
                return true;
            }
            return false;
        }
    }

    private void runLoop() {
        try {
            loop();
        } catch (JobRun.Abandoned e) {
            // this thread's call was abandoned; a fresh runner took over its job
        }
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            long seen;
            wakeLock.lock();
            try {
                if (closed) {
                    return;
                }
                seen = generation;
            } finally {
                wakeLock.unlock();
            }
            if (surplus()) {
                return;
            }
            Optional<BatchJob<?>> job = settings.executorEnabled() ? queue.startNext(handlers::servesPlain) : Optional.empty();
            if (job.isPresent()) {
                runGuarded(job.get());
                continue;
            }
            if (!awaitChange(seen)) {
                return;
            }
        }
    }

    private JobRun.Context runContext() {
        return new JobRun.Context(queue, handlers, inFlight, settings, this::awaitUnpaused, laneThreads, logger);
    }

    private void runGuarded(BatchJob<?> job) {
        runGuarded(job, () -> new JobRun(job, runContext()).run());
    }

    private void runGuarded(BatchJob<?> job, Runnable work) {
        try {
            work.run();
        } catch (JobRun.Abandoned e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug here must not end the runner: the job goes back to the queue rather than being lost.
            logger.error("Running job {} failed unexpectedly; it is put back in the queue", job.id(), e);
            queue.requeueRunning(job.id(), QueuedCause.STOPPED);
        }
    }

    /** @return {@code false} when the executor is closing */
    private boolean awaitChange(long seen) {
        return awaitWhile(() -> generation == seen);
    }

    /**
     * Blocks while the queue is paused (between items of a running job).
     *
     * @return {@code false} when the executor is closing
     */
    private boolean awaitUnpaused() {
        return awaitWhile(queue::isPaused);
    }

    /** Waits for a signal while {@code blocked} holds. @return {@code false} when the executor is closing */
    private boolean awaitWhile(java.util.function.BooleanSupplier blocked) {
        wakeLock.lock();
        try {
            while (blocked.getAsBoolean() && !closed) {
                wake.await();
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            wakeLock.unlock();
        }
    }

    private void signal() {
        wakeLock.lock();
        try {
            generation++;
            wake.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    /**
     * A stopped call did not return in time (see {@link Watchdog}): settles its items and gives the caller's lane
     * to a fresh thread; the stuck thread ends when the handler lets it go.
     */
    private void abandoned(RunningCall call) {
        JobRun run = call.run;
        logger.warn("Handler service {} did not return from {} of job {} within {} ms of being stopped ({}); "
                + "the call is abandoned and its thread left to end by itself", call.handlerServiceId,
                call.describeItems(), call.jobId(), Watchdog.GRACE_MS, call.stopReason());
        try {
            switch (call.stopReason()) {
                case TIMED_OUT -> run.recordAbandoned(call);
                case HANDLER_GONE -> run.end(QueuedCause.HANDLER_GONE);
                default -> {
                    // CANCELLED: the items are settled already
                }
            }
        } catch (RuntimeException e) {
            logger.error("Settling abandoned {} of job {} failed", call.describeItems(), call.jobId(), e);
        }
        if (!call.runnerRole) {
            laneThreads.execute(() -> run.laneWork(call.lane));
            return;
        }
        synchronized (runners) {
            runners.remove(call.callerThread);
            Thread replacement = runnerThreads.newThread(() -> {
                runGuarded(run.job, run::runnerWork);
                runLoop();
            });
            runners.add(replacement);
            replacement.start();
        }
    }

    /**
     * Tells the slots which models their runtimes hold, by slot name, so that a slot stays on a model its runtime
     * already holds; wakes the slots to look again.
     */
    public void slotResidents(Map<String, Set<String>> bySlot) {
        slotWorkers.reported(bySlot);
        signal();
    }

    /** @return the slots working on a job now (none outside slots) */
    public Set<String> slotsRunning(String jobId) {
        Set<String> running = new java.util.HashSet<>();
        for (SlotState.Status slot : slotWorkers.status()) {
            if (jobId.equals(slot.jobId())) {
                running.add(slot.id());
            }
        }
        return running;
    }

    /** @return every slot as it is now */
    public List<SlotState.Status> slots() {
        return slotWorkers.status();
    }

    private long currentGeneration() {
        wakeLock.lock();
        try {
            return generation;
        } finally {
            wakeLock.unlock();
        }
    }

    private void handlersChanged() {
        slotWorkers.refresh();
        for (RunningCall call : inFlight) {
            if (!handlers.contains(call.handlerServiceId)) {
                call.stop(RunningCall.StopReason.HANDLER_GONE);
            }
        }
        signal();
    }

    @Override
    public void jobQueued(BatchJob<?> job, QueuedCause cause) {
        signal();
    }

    @Override
    public void resumed() {
        signal();
    }

    @Override
    public void paused() {
        signal(); // a runner waiting for the pause to end re-checks it
    }

    @Override
    public void jobEnded(ai.batch.queue.BatchCompletionSummary summary, ai.batch.queue.BatchJobStatus status) {
        signal();
    }

    @Override
    public void jobCancelled(BatchJob<?> job, boolean wasRunning) {
        for (RunningCall call : inFlight) {
            if (call.jobId().equals(job.id())) {
                call.stop(RunningCall.StopReason.CANCELLED);
            }
        }
    }

    /** Flags the item in the call that has it; that call is stopped only once none of its items is left. */
    @Override
    public void itemCancelled(String jobId, String itemId) {
        for (RunningCall call : inFlight) {
            if (call.jobId().equals(jobId)) {
                call.cancelItem(itemId);
            }
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

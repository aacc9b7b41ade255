package ai.batch.queue.impl.executor;

import java.util.concurrent.atomic.AtomicInteger;

import ai.batch.queue.BatchItem;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.ItemContext;

/**
 * The context of one handler call, and the means to stop it. The call runs on the thread that created this
 * object; {@link #stop} interrupts that thread only while the call is in progress. When a stopped call does not
 * return in time, the {@link Watchdog} {@linkplain #abandon() abandons} it: the outcome then belongs to the
 * watchdog, another thread takes over the caller's work, and the caller ends once the handler lets it go.
 */
final class RunningItem implements ItemContext {

    /** Why a call was stopped before it returned. */
    enum StopReason {
        /** The item or its job was cancelled: the item stays CANCELLED. */
        CANCELLED,
        /** The call took longer than the item timeout: the item FAILS (or waits for another attempt). */
        TIMED_OUT,
        /** The handler service went away: the item goes back to PENDING and the job waits. */
        HANDLER_GONE,
        /** The queue is stopping: the item goes back to PENDING. */
        STOPPING
    }

    private static final int CALLING = 0;
    private static final int RETURNED = 1;
    private static final int ABANDONED = 2;

    private final String jobId;
    private final String itemId;
    private final String resourceKey;
    private final String operation;
    private final SizeBucket sizeBucket;
    final long handlerServiceId;
    final BatchItem<?> item;
    /** Which call for the item this is, counting from 1 across runs. */
    final int attempt;
    final JobRun run;
    final boolean runnerRole;
    final Thread callerThread = Thread.currentThread();
    final long startedNanos = System.nanoTime();
    private final AtomicInteger phase = new AtomicInteger(CALLING);
    private Thread caller = callerThread; // guarded by this; null once the call returned
    private volatile StopReason stopReason;
    private volatile long stoppedNanos;

    RunningItem(JobRun run, BatchItem<?> item, long handlerServiceId, boolean runnerRole) {
        this.run = run;
        this.item = item;
        this.jobId = run.job.id();
        this.itemId = item.id();
        this.resourceKey = run.job.resourceKey();
        this.operation = run.job.operation();
        this.sizeBucket = item.sizeBucket();
        this.handlerServiceId = handlerServiceId;
        this.attempt = item.attempts() + 1;
        this.runnerRole = runnerRole;
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public String itemId() {
        return itemId;
    }

    @Override
    public String resourceKey() {
        return resourceKey;
    }

    @Override
    public String operation() {
        return operation;
    }

    @Override
    public SizeBucket sizeBucket() {
        return sizeBucket;
    }

    @Override
    public boolean isCancelled() {
        return stopReason != null;
    }

    StopReason stopReason() {
        return stopReason;
    }

    /** @return when the call was stopped ({@link System#nanoTime()}); meaningful once stopped */
    long stoppedNanos() {
        return stoppedNanos;
    }

    /** Flags the call as stopped and interrupts it if it is still in progress; the first reason wins. */
    synchronized void stop(StopReason reason) {
        if (stopReason != null) {
            return;
        }
        stoppedNanos = System.nanoTime();
        stopReason = reason;
        if (caller != null) {
            caller.interrupt();
        }
    }

    /**
     * Called by the caller when the handler returned: no interrupt reaches the caller after this, and an
     * interrupt meant for the call is cleared.
     *
     * @return {@code true} if the caller owns the outcome; {@code false} if the call was abandoned
     */
    boolean returned() {
        synchronized (this) {
            caller = null;
        }
        if (stopReason != null) {
            Thread.interrupted(); // the interrupt was for the handler call, not for the caller's own waits
        }
        return phase.compareAndSet(CALLING, RETURNED);
    }

    /** @return {@code true} if the call had not returned and is now abandoned (the caller's outcome is ignored) */
    boolean abandon() {
        return phase.compareAndSet(CALLING, ABANDONED);
    }
}

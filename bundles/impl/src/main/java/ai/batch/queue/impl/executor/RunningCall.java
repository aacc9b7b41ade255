package ai.batch.queue.impl.executor;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One handler call in progress, for one item or a micro-batch of items, and the means to stop it. The call runs
 * on the thread that created this object; {@link #stop} interrupts that thread only while the call is in
 * progress. When a stopped call does not return in time, the {@link Watchdog} {@linkplain #abandon() abandons}
 * it: the outcome then belongs to the watchdog, another thread takes over the caller's work, and the caller ends
 * once the handler lets it go.
 */
final class RunningCall {

    /** Why a call was stopped before it returned. */
    enum StopReason {
        /** The job, or every item of the call, was cancelled: the items stay CANCELLED. */
        CANCELLED,
        /** The call took longer than its timeout: its items FAIL (or wait for another attempt). */
        TIMED_OUT,
        /** The handler service went away: the items go back to PENDING and the job waits. */
        HANDLER_GONE,
        /** The queue is stopping: the items go back to PENDING. */
        STOPPING
    }

    private static final int CALLING = 0;
    private static final int RETURNED = 1;
    private static final int ABANDONED = 2;

    final JobRun run;
    /** The items of the call, in the job's order; one unless the handler declares a batch size. */
    final List<RunningItem> items;
    final long handlerServiceId;
    final boolean runnerRole;
    /** The slot lane that made the call, or {@code null} outside slots. */
    final Lane lane;
    final Thread callerThread = Thread.currentThread();
    final long startedNanos = System.nanoTime();
    private final AtomicInteger phase = new AtomicInteger(CALLING);
    private Thread caller = callerThread; // guarded by this; null once the call returned
    private volatile StopReason stopReason;
    private volatile long stoppedNanos;

    RunningCall(JobRun run, List<RunningItem> items, long handlerServiceId, boolean runnerRole, Lane lane) {
        this.run = run;
        this.lane = lane;
        this.items = List.copyOf(items);
        this.handlerServiceId = handlerServiceId;
        this.runnerRole = runnerRole;
    }

    String jobId() {
        return run.job.id();
    }

    /** @return the item ids for logs: {@code "item a"} or {@code "items [a, b, c]"} */
    String describeItems() {
        return items.size() == 1 ? "item " + items.get(0).itemId()
                : "items " + items.stream().map(RunningItem::itemId).toList();
    }

    /**
     * How long the call may take before the watchdog stops it: the item timeout for each of its items. A
     * micro-batch exists to cost less than its items one by one, so a batch that needs more than this is stuck,
     * not slow; and a fixed limit would fail large batches of legitimately long items.
     *
     * @param itemTimeoutNanos the configured item timeout
     * @return the call's timeout in nanoseconds
     */
    long timeoutNanos(long itemTimeoutNanos) {
        int count = items.size();
        return itemTimeoutNanos > Long.MAX_VALUE / count ? Long.MAX_VALUE : itemTimeoutNanos * count;
    }

    /**
     * @return the call's duration so far divided evenly among its items, in milliseconds: what each item records
     *         (and teaches the estimates)
     */
    long durationShareMs() {
        return TimeUnit.NANOSECONDS.toMillis((System.nanoTime() - startedNanos) / items.size());
    }

    boolean isStopped() {
        return stopReason != null;
    }

    StopReason stopReason() {
        return stopReason;
    }

    /** @return when the call was stopped ({@link System#nanoTime()}); meaningful once stopped */
    long stoppedNanos() {
        return stoppedNanos;
    }

    /**
     * Flags the call and all its items as stopped and interrupts the call if it is still in progress; the first
     * reason wins.
     */
    synchronized void stop(StopReason reason) {
        if (stopReason != null) {
            return;
        }
        stoppedNanos = System.nanoTime();
        stopReason = reason;
        items.forEach(RunningItem::cancel);
        if (caller != null) {
            caller.interrupt();
        }
    }

    /**
     * One item of the call was cancelled: its context says so and its result will be discarded. The call itself
     * is stopped only once none of its items is left, so the other items of a micro-batch keep their work.
     */
    synchronized void cancelItem(String itemId) {
        boolean anyLeft = false;
        for (RunningItem item : items) {
            if (item.itemId().equals(itemId)) {
                item.cancel();
            }
            anyLeft |= !item.isCancelled();
        }
        if (!anyLeft) {
            stop(StopReason.CANCELLED);
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

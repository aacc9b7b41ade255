package ai.batch.queue.impl.executor;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Watches the handler calls in progress from one thread, so that the calls themselves run on the executor's
 * threads without any hand-off: a call running longer than its timeout (the item timeout for each item of the
 * call, see {@link RunningCall#timeoutNanos}) is stopped (its thread interrupted); a stopped call that has still
 * not returned after {@link #GRACE_MS} is abandoned, and {@code onAbandon} lets another thread take over the
 * caller's work. A handler ignoring interrupts therefore costs a thread, never the queue.
 */
final class Watchdog {

    /** How long a stopped call may take to return before it is abandoned. */
    static final long GRACE_MS = 1_000;

    private final Set<RunningCall> inFlight;
    private final LongSupplier timeoutMs;
    private final Consumer<RunningCall> onAbandon;
    private final Consumer<RuntimeException> onFailure;
    private final Thread thread;
    private volatile boolean closed;

    Watchdog(Set<RunningCall> inFlight, LongSupplier timeoutMs, Consumer<RunningCall> onAbandon,
            Consumer<RuntimeException> onFailure, String threadName) {
        this.inFlight = inFlight;
        this.timeoutMs = timeoutMs;
        this.onAbandon = onAbandon;
        this.onFailure = onFailure;
        this.thread = new Thread(this::watch, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    private void watch() {
        while (!closed) {
            long timeout = timeoutMs.getAsLong();
            try {
                check(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(timeout));
            } catch (RuntimeException e) {
                // e.g. no thread to take over while the executor closes: the watchdog itself must go on
                onFailure.accept(e);
            }
            // Checks ten times per timeout (never more often than every 5 ms, at least every 250 ms), so a
            // timeout is noticed within 10 % of its length.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(5, Math.min(250, timeout / 10))));
        }
    }

    /** One pass over the calls in progress. */
    void check(long nowNanos, long timeoutNanos) {
        long graceNanos = TimeUnit.MILLISECONDS.toNanos(GRACE_MS);
        for (RunningCall call : inFlight) {
            RunningCall.StopReason reason = call.stopReason();
            if (reason == null) {
                if (nowNanos - call.startedNanos > call.timeoutNanos(timeoutNanos)) {
                    call.stop(RunningCall.StopReason.TIMED_OUT);
                }
            } else if (reason != RunningCall.StopReason.STOPPING && nowNanos - call.stoppedNanos() > graceNanos
                    && call.abandon()) {
                inFlight.remove(call);
                onAbandon.accept(call);
            }
        }
    }
}

package ai.batch.queue.benchmarks.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for the benchmarks. A benchmark never sleeps for a guessed time: it waits for a latch or a
 * condition, and when the deadline passes it throws with a description of what was still missing, so a stuck
 * queue fails the run instead of producing a number.
 */
public final class Deadline {

    /** How long one benchmark operation may take before it counts as stuck. */
    public static final Duration OPERATION = Duration.ofMinutes(2);

    /** How long a framework, bundle or service may take to come up. */
    public static final Duration STARTUP = Duration.ofSeconds(60);

    private static final long POLL_NANOS = 20_000;

    private Deadline() {
    }

    /**
     * Waits for a latch.
     *
     * @param latch the latch
     * @param timeout how long at most
     * @param missing describes what had not happened, for the exception
     * @throws IllegalStateException on timeout or interruption
     */
    public static void await(CountDownLatch latch, Duration timeout, Supplier<String> missing) {
        try {
            if (!latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("Timed out after " + timeout + ": " + missing.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting: " + missing.get(), e);
        }
    }

    /**
     * Polls a condition with a short {@link LockSupport#parkNanos} pause between tests.
     *
     * @param condition what to wait for
     * @param timeout how long at most
     * @param missing describes what had not happened, for the exception
     * @throws IllegalStateException on timeout or interruption
     */
    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> missing) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException("Timed out after " + timeout + ": " + missing.get());
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting: " + missing.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}

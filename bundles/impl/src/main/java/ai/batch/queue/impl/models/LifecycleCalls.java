package ai.batch.queue.impl.models;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls into lifecycle services with a deadline, each on a thread of its own: a call that throws or does not
 * answer in time gives an error message naming the service, the action and the model, and the caller goes on. A
 * call past its deadline is interrupted; if it ignores that, only its own thread waits.
 */
final class LifecycleCalls implements AutoCloseable {

    /** What a call gave: its value or why it has none, and how long it took. */
    record Outcome<T>(T value, String error, long durationMs) {
        boolean ok() {
            return error == null;
        }
    }

    private final ExecutorService threads;
    private volatile long timeoutMs;

    LifecycleCalls(String threadName, long timeoutMs) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, threadName + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.threads = Executors.newCachedThreadPool(factory);
        this.timeoutMs = timeoutMs;
    }

    void setTimeoutMs(long value) {
        timeoutMs = value;
    }

    <T> Outcome<T> call(String service, String action, String resourceKey, Callable<T> call) {
        long start = System.nanoTime();
        Future<T> future = threads.submit(call);
        try {
            T value = future.get(timeoutMs, TimeUnit.MILLISECONDS);
            return new Outcome<>(value, null, elapsedMs(start));
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome<>(null, describe(service, action, resourceKey) + " did not answer within " + timeoutMs
                    + " ms", elapsedMs(start));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
            return new Outcome<>(null, describe(service, action, resourceKey) + " failed: " + message,
                    elapsedMs(start));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome<>(null, describe(service, action, resourceKey) + " was interrupted", elapsedMs(start));
        }
    }

    private static String describe(String service, String action, String resourceKey) {
        return "Model lifecycle " + service + ": " + action + (resourceKey != null ? " '" + resourceKey + "'" : "");
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}

package ai.batch.queue.handler;

import java.time.Duration;

/**
 * Thrown by a handler for a failure that may pass if tried again. With automatic retries on
 * ({@code retry.maxAttempts} above 1) the item is tried again after a backoff; otherwise it fails with this
 * exception's message. {@link java.io.IOException}s and item timeouts count as retryable too; any other exception
 * fails the item for good. A handler that knows how long to wait (a model server's {@code Retry-After}) says so
 * with {@link #RetryableException(String, Duration)}: the queue then never tries the item sooner.
 *
 * @since 1.1
 */
public class RetryableException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /** @param message why it failed this time */
    public RetryableException(String message) {
        super(message);
        this.retryAfter = null;
    }

    /**
     * @param message why it failed this time
     * @param cause the underlying failure
     */
    public RetryableException(String message, Throwable cause) {
        super(message, cause);
        this.retryAfter = null;
    }

    /**
     * @param message why it failed this time
     * @param retryAfter the least time to wait before the next attempt, e.g. a server's {@code Retry-After};
     *        {@code null} or zero for no wish
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     * @since 1.3
     */
    public RetryableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = checked(retryAfter);
    }

    /**
     * @return the least time to wait before the next attempt, or {@code null} when the handler said nothing (the
     *         queue's backoff alone applies)
     * @since 1.3
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** @return {@code retryAfter}, with zero as {@code null}; refuses a negative wait */
    static Duration checked(Duration retryAfter) {
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
        return retryAfter == null || retryAfter.isZero() ? null : retryAfter;
    }
}

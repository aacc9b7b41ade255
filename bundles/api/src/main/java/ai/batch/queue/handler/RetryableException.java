package ai.batch.queue.handler;

/**
 * Thrown by a handler for a failure that may pass if tried again. With automatic retries on
 * ({@code retry.maxAttempts} above 1) the item is tried again after a backoff; otherwise it fails with this
 * exception's message. {@link java.io.IOException}s and item timeouts count as retryable too; any other exception
 * fails the item for good.
 *
 * @since 1.1
 */
public class RetryableException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message why it failed this time */
    public RetryableException(String message) {
        super(message);
    }

    /**
     * @param message why it failed this time
     * @param cause the underlying failure
     */
    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}

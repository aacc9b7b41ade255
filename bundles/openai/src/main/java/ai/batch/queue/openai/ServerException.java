package ai.batch.queue.openai;

import java.time.Duration;

/**
 * A request to the server that did not give a usable answer. The message names the server (without
 * credentials) and the endpoint, and never holds the API key; {@link #isRetryable()} says whether trying again
 * later may help (busy server, overload, connection refused, timeout).
 */
final class ServerException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retryable;
    private final transient Duration retryAfter;

    ServerException(String message, int status, boolean retryable) {
        this(message, status, retryable, (Duration) null);
    }

    /** A retryable answer whose server asked, with {@code Retry-After}, to wait at least {@code retryAfter}. */
    ServerException(String message, int status, boolean retryable, Duration retryAfter) {
        super(message);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    ServerException(String message, int status, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = null;
    }

    /** @return the HTTP status, or 0 when there was no answer */
    int status() {
        return status;
    }

    boolean isRetryable() {
        return retryable;
    }

    /** @return the least wait the server asked for ({@code Retry-After}), or {@code null} when it said none */
    Duration retryAfter() {
        return retryAfter;
    }
}

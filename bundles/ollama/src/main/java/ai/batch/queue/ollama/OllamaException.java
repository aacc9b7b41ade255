package ai.batch.queue.ollama;

import java.time.Duration;

/**
 * A failed call to the server, with a message that names the server, the model and (for items) the job, whether
 * it may pass if tried again, and what the server said about when: its status and its {@code Retry-After}.
 */
final class OllamaException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final int status;
    private final transient Duration retryAfter;

    OllamaException(String message, boolean retryable) {
        this(message, retryable, 0, null);
    }

    OllamaException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.status = 0;
        this.retryAfter = null;
    }

    /**
     * @param status the HTTP status the server answered
     * @param retryAfter the least wait the server asked for, or null
     */
    OllamaException(String message, boolean retryable, int status, Duration retryAfter) {
        super(message);
        this.retryable = retryable;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** @return whether the same call may succeed later (server busy, down, slow) */
    boolean retryable() {
        return retryable;
    }

    /** @return the server's error status, or 0 when the call failed otherwise */
    int status() {
        return status;
    }

    /** @return how long the server asked to wait before trying again ({@code Retry-After}), or null */
    Duration retryAfter() {
        return retryAfter;
    }
}

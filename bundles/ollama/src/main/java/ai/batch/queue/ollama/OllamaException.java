package ai.batch.queue.ollama;

/**
 * A failed call to the server, with a message that names the server, the model and (for items) the job, and
 * whether it may pass if tried again.
 */
final class OllamaException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    OllamaException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    OllamaException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** @return whether the same call may succeed later (server busy, down, slow) */
    boolean retryable() {
        return retryable;
    }
}

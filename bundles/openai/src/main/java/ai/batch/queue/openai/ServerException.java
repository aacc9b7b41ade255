package ai.batch.queue.openai;

/**
 * A request to the server that did not give a usable answer. The message names the server (without
 * credentials) and the endpoint, and never holds the API key; {@link #isRetryable()} says whether trying again
 * later may help (busy server, overload, connection refused, timeout).
 */
final class ServerException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retryable;

    ServerException(String message, int status, boolean retryable) {
        super(message);
        this.status = status;
        this.retryable = retryable;
    }

    ServerException(String message, int status, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
    }

    /** @return the HTTP status, or 0 when there was no answer */
    int status() {
        return status;
    }

    boolean isRetryable() {
        return retryable;
    }
}

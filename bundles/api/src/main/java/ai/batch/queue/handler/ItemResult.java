package ai.batch.queue.handler;

import java.time.Duration;
import java.util.Objects;

/** The outcome of processing one item. Immutable; create with the factories. */
public final class ItemResult {

    private static final ItemResult SUCCESS = new ItemResult(true, null, null, false, null);

    private final boolean success;
    private final String output;
    private final String error;
    private final boolean retryable;
    private final Duration retryAfter;

    private ItemResult(boolean success, String output, String error, boolean retryable, Duration retryAfter) {
        this.success = success;
        this.output = output;
        this.error = error;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** @return a success without output */
    public static ItemResult success() {
        return SUCCESS;
    }

    /**
     * A success with an output the queue keeps with the item ({@code BatchItem.output()}).
     *
     * @param output the output, e.g. {@code "tags: cat, sunset"}; may be {@code null}
     * @return the result
     */
    public static ItemResult successWithOutput(String output) {
        return new ItemResult(true, output, null, false, null);
    }

    /**
     * A failure; the item becomes FAILED with this error.
     *
     * @param error why it failed; a {@code null} error is recorded as "failed without an error message"
     * @return the result
     */
    public static ItemResult failure(String error) {
        return new ItemResult(false, null, error, false, null);
    }

    /**
     * A failure that may pass if tried again (a busy model server, a network hiccup). With automatic retries on
     * ({@code retry.maxAttempts} above 1) the item is tried again after a backoff; otherwise it fails like
     * {@link #failure(String)}.
     *
     * @param error why it failed this time
     * @return the result
     * @since 1.1
     */
    public static ItemResult retryableFailure(String error) {
        return new ItemResult(false, null, error, true, null);
    }

    /**
     * A failure that may pass if tried again, no sooner than the given time from now: what a model server asked
     * for with {@code Retry-After} on a 429 or 503 answer. With automatic retries on, the next attempt waits for
     * the longer of the queue's own backoff and {@code retryAfter}; the queue never tries sooner. Otherwise it
     * fails like {@link #failure(String)}.
     *
     * @param error why it failed this time
     * @param retryAfter the least time to wait before the next attempt; {@code null} or zero for no wish
     * @return the result
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     * @since 1.3
     */
    public static ItemResult retryableFailure(String error, Duration retryAfter) {
        return new ItemResult(false, null, error, true, RetryableException.checked(retryAfter));
    }

    /**
     * @return whether a failure may pass if tried again
     * @since 1.1
     */
    public boolean isRetryable() {
        return retryable;
    }

    /**
     * @return the least time to wait before another attempt of a {@linkplain #isRetryable() retryable} failure,
     *         or {@code null} when the handler said nothing (the queue's backoff alone applies)
     * @since 1.3
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** @return {@code true} for a success */
    public boolean isSuccess() {
        return success;
    }

    /** @return the output of a success, or {@code null} */
    public String output() {
        return output;
    }

    /** @return the error of a failure, or {@code null} */
    public String error() {
        return error;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ItemResult that && success == that.success && Objects.equals(output, that.output)
                && Objects.equals(error, that.error) && retryable == that.retryable
                && Objects.equals(retryAfter, that.retryAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(success, output, error, retryable, retryAfter);
    }

    @Override
    public String toString() {
        return success ? "ItemResult[success" + (output == null ? "" : ", output=" + output) + "]"
                : "ItemResult[" + (retryable ? "retryable " : "") + "failure: " + error
                        + (retryAfter == null ? "" : ", retry after " + retryAfter) + "]";
    }
}

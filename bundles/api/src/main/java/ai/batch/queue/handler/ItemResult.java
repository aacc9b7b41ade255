package ai.batch.queue.handler;

import java.util.Objects;

/** The outcome of processing one item. Immutable; create with the factories. */
public final class ItemResult {

    private static final ItemResult SUCCESS = new ItemResult(true, null, null, false);

    private final boolean success;
    private final String output;
    private final String error;
    private final boolean retryable;

    private ItemResult(boolean success, String output, String error, boolean retryable) {
        this.success = success;
        this.output = output;
        this.error = error;
        this.retryable = retryable;
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
        return new ItemResult(true, output, null, false);
    }

    /**
     * A failure; the item becomes FAILED with this error.
     *
     * @param error why it failed; a {@code null} error is recorded as "failed without an error message"
     * @return the result
     */
    public static ItemResult failure(String error) {
        return new ItemResult(false, null, error, false);
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
        return new ItemResult(false, null, error, true);
    }

    /**
     * @return whether a failure may pass if tried again
     * @since 1.1
     */
    public boolean isRetryable() {
        return retryable;
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
                && Objects.equals(error, that.error) && retryable == that.retryable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(success, output, error, retryable);
    }

    @Override
    public String toString() {
        return success ? "ItemResult[success" + (output == null ? "" : ", output=" + output) + "]"
                : "ItemResult[" + (retryable ? "retryable " : "") + "failure: " + error + "]";
    }
}

package ai.batch.queue.runtime.kit;

import ai.batch.queue.handler.ItemResult;

/**
 * The words of an item's failure, its log line and a cancellation, alike in every runtime bundle: an operator
 * reading the queue's errors or the log sees one shape whatever server the item went to.
 */
public final class FailureText {

    /**
     * The most characters of a server's own text kept in a message: enough for any real error, short enough
     * that a proxy's HTML page or a stack trace does not fill the queue's journal and every event.
     */
    public static final int MAX_SERVER_TEXT = 500;

    /** The error of an item stopped by its cancellation. */
    public static final String CANCELLED = "cancelled";

    /**
     * The log line of a failed item, with arguments item, job, {@link #mayPass(boolean)} and the message. Logged
     * at warning in every bundle, retryable or not: a failing server is what an operator acts on (a key, a
     * model to pull, an overloaded host), and the text is masked before it gets here.
     */
    public static final String LOG_LINE = "Item {} of job {} failed{}: {}";

    private FailureText() {
    }

    /**
     * A server's own words for a message: secrets masked first, then one line of at most
     * {@value #MAX_SERVER_TEXT} characters.
     *
     * @param text what the server said, or {@code null}
     * @param mask takes the secrets out
     * @return the masked, shortened line; empty for none
     */
    public static String serverText(String text, SecretMask mask) {
        return text == null ? "" : mask.cut(text.strip(), MAX_SERVER_TEXT);
    }

    /**
     * An item's failure message: which model, job and item, then what went wrong (which names the server).
     *
     * @param model the item's resource key
     * @param jobId the job
     * @param itemId the item
     * @param problem what went wrong, secrets already masked
     * @return e.g. "Model 'llava', job 4f2a, item i1: server busy or unavailable, HTTP 503 (…)"
     */
    public static String item(String model, String jobId, String itemId, String problem) {
        return "Model '" + model + "', job " + jobId + ", item " + itemId + ": " + problem;
    }

    /** @return the third argument of {@link #LOG_LINE} */
    public static String mayPass(boolean retryable) {
        return retryable ? " (may pass if tried again)" : "";
    }

    /**
     * The result of an item whose cancellation stopped it, before it was sent or while its answer came: final,
     * and not a server failure, so not logged as one.
     */
    public static ItemResult cancelled() {
        return ItemResult.failure(CANCELLED);
    }
}

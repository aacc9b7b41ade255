package ai.batch.queue.runtime.kit;

/**
 * What an HTTP error status means for an item, whatever the server: whether trying again later may help, and
 * one wording for each class of failure, so that the same answer reads the same from every bundle.
 * <table>
 * <caption>status classes</caption>
 * <tr><th>status</th><th>may pass</th><th>words</th></tr>
 * <tr><td>408</td><td>yes</td><td>request timeout</td></tr>
 * <tr><td>429</td><td>yes</td><td>too many requests</td></tr>
 * <tr><td>502, 503, 504</td><td>yes</td><td>server busy or unavailable</td></tr>
 * <tr><td>other 4xx</td><td>no</td><td>request rejected</td></tr>
 * <tr><td>other 5xx (out of memory, a crashed runner, a context overflow)</td><td>no</td><td>server error</td></tr>
 * </table>
 * A bundle may say more where its protocol knows more (a model not pulled, a wrong key), after these words.
 */
public final class HttpStatuses {

    private HttpStatuses() {
    }

    /**
     * @param status an HTTP status other than 2xx
     * @return whether trying again later may help: 408 (the server gave up waiting for the request), 429
     *         (overload) and the gateway statuses 502, 503, 504
     */
    public static boolean retryable(int status) {
        return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** @return the words for the status' class, e.g. "too many requests" */
    public static String words(int status) {
        if (status == 408) {
            return "request timeout";
        }
        if (status == 429) {
            return "too many requests";
        }
        if (status == 502 || status == 503 || status == 504) {
            return "server busy or unavailable";
        }
        if (status >= 400 && status < 500) {
            return "request rejected";
        }
        return "server error";
    }

    /**
     * @param status the HTTP status
     * @param serverText the server's own words, already masked and cut ({@link FailureText#serverText}); empty
     *        for none
     * @return e.g. "too many requests, HTTP 429: Rate limit reached"
     */
    public static String describe(int status, String serverText) {
        String said = serverText == null || serverText.isEmpty() ? "" : ": " + serverText;
        return words(status) + ", HTTP " + status + said;
    }
}

package ai.batch.queue.openai;

/**
 * Takes the API key out of text that came from a server. A server may echo what it was sent (the
 * {@code Authorization} header in an error, a proxy naming models after it, a router listing the command line it
 * started a model with, a model repeating its prompt), so every path by which a server's text leaves the bundle
 * goes through here: item errors and outputs (which the queue stores and sends in events), log lines, lifecycle
 * errors, and results read from batch files.
 *
 * <p>Masking comes before any cut: {@link #cut} masks the whole text first, so a key that spans the cut cannot
 * leave its first characters behind.
 */
final class KeyMask {

    /** What stands for the key. */
    static final String MASK = "***";

    /** For text that cannot hold a key (no key is configured). */
    static final KeyMask NONE = new KeyMask("");

    private final String key;

    /** @param key the API key, or empty for none */
    KeyMask(String key) {
        this.key = key == null ? "" : key;
    }

    /**
     * @param text text from a server, or {@code null}
     * @return the text with every occurrence of the key replaced by {@value #MASK}
     */
    String mask(String text) {
        return key.isEmpty() || text == null ? text : text.replace(key, MASK);
    }

    /** @return {@link #mask(String)} of the value's text, e.g. a JSON node or a list */
    String mask(Object value) {
        return mask(String.valueOf(value));
    }

    /**
     * Masks the text, then makes it one line of at most {@code max} characters.
     *
     * @param text text from a server
     * @param max the most characters kept; longer text ends with "…"
     * @return the masked, shortened line
     */
    String cut(String text, int max) {
        String line = mask(text).replaceAll("\\s+", " ");
        return line.length() <= max ? line : line.substring(0, max) + "…";
    }
}

package ai.batch.queue.runtime.kit;

/**
 * Takes a secret (an API key) out of text that came from a server. A server may echo what it was sent (the
 * {@code Authorization} header in an error, a proxy naming models after it, a router listing the command line it
 * started a model with, a model repeating its prompt), so every path by which a server's text leaves a bundle
 * goes through here: item errors and outputs (which the queue stores and sends in events), log lines, lifecycle
 * errors, and results read from files.
 *
 * <p>Masking comes before any cut: {@link #cut} masks the whole text first, so a secret that spans the cut cannot
 * leave its first characters behind.
 */
public final class SecretMask {

    /** What stands for the secret. */
    public static final String MASK = "***";

    /** For text that cannot hold a secret (none is configured). */
    public static final SecretMask NONE = new SecretMask("");

    private final String secret;

    /** @param secret the secret, or empty or {@code null} for none */
    public SecretMask(String secret) {
        this.secret = secret == null ? "" : secret;
    }

    /**
     * @param text text from a server, or {@code null}
     * @return the text with every occurrence of the secret replaced by {@value #MASK}
     */
    public String mask(String text) {
        return secret.isEmpty() || text == null ? text : text.replace(secret, MASK);
    }

    /** @return {@link #mask(String)} of the value's text, e.g. a JSON node or a list */
    public String mask(Object value) {
        return mask(String.valueOf(value));
    }

    /**
     * Masks the text, then makes it one line of at most {@code max} characters.
     *
     * @param text text from a server
     * @param max the most characters kept; longer text ends with "…"
     * @return the masked, shortened line
     */
    public String cut(String text, int max) {
        String line = mask(text).replaceAll("\\s+", " ");
        return line.length() <= max ? line : line.substring(0, max) + "…";
    }
}

package ai.batch.queue.web;

/**
 * Text from a request, made safe to show in a plain-text or JSON answer: everything but printable ASCII, and the
 * characters HTML gives a meaning to, become {@code \}{@code uXXXX}. A right-to-left override (U+202E) or a line
 * break in a Host header can then neither reorder what a reader sees nor start a line of its own, and no browser
 * can take the text for markup. (The page shows queue data escaped in the same spirit, in {@code dashboard.js}.)
 */
final class VisibleText {

    /** Longer input is cut here: a refusal only has to name what was refused. */
    static final int MAX_LENGTH = 200;

    private VisibleText() {
    }

    /** @return the text with every character but printable ASCII (and {@code < > & " ' \}) escaped */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text;
        StringBuilder out = new StringBuilder(cut.length() + 16);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c >= 0x20 && c < 0x7f && "<>&\"'\\".indexOf(c) < 0) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return cut.length() < text.length() ? out.append("...").toString() : out.toString();
    }
}

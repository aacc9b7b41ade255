package ai.batch.queue.impl.shell;

/**
 * Queue text (model names, ids, outputs, errors) as the terminal shows it: control, bidirectional and invisible
 * formatting characters become {@code \}{@code uXXXX}, the rest stays as it is ("Grüße" too). A U+202E in an item
 * id would otherwise make the terminal show {@code gpj.exe} as {@code exe.jpg}, and a line break in an error would
 * start a row of its own in a table.
 */
final class ShellText {

    private ShellText() {
    }

    /** @return the text with hidden characters shown as code points; null stays null */
    static String visible(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (hidden(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04X", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean hidden(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0xad || c == 0x61c || c == 0x180e
                || c >= 0x200b && c <= 0x200f || c >= 0x2028 && c <= 0x202e || c >= 0x2060 && c <= 0x2069
                || c == 0xfeff || c >= 0xfff9 && c <= 0xfffb;
    }
}

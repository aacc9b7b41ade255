package example.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Shapes the queue's text for the terminal: short job ids, visible control characters, lines that fit. */
final class Text {

    private static final Pattern UUID = Pattern.compile(
            "\\b([0-9a-fA-F]{8})-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    /** Continuation lines start this much further in than the line they continue. */
    private static final int HANGING = 4;

    private Text() {
    }

    /** Job ids as their first 8 characters, as {@code batch:jobs} shows them; a full UUID fills half a line. */
    static String shortIds(String text) {
        return UUID.matcher(text).replaceAll("$1");
    }

    /**
     * Control and bidirectional characters as {@code \\uXXXX}: a handler's error text or an item id is foreign
     * text, and an escape sequence in it must neither reach a log nor steer the terminal.
     */
    static String visible(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Wraps a line at spaces so that no line is longer than {@code width}; continuation lines are indented
     * {@value #HANGING} more than the first. A word longer than a line is cut.
     */
    static List<String> wrap(String line, int width) {
        int lead = 0;
        while (lead < line.length() && line.charAt(lead) == ' ') {
            lead++;
        }
        return wrap(line, width, " ".repeat(Math.min(lead + HANGING, width / 2)));
    }

    /** Wraps as {@link #wrap(String, int)} with the given indent (shorter than {@code width}) for continuations. */
    static List<String> wrap(String line, int width, String indent) {
        List<String> lines = new ArrayList<>();
        if (line.length() <= width) {
            lines.add(line);
            return lines;
        }
        int lead = 0;
        while (lead < line.length() && line.charAt(lead) == ' ') {
            lead++;
        }
        StringBuilder current = new StringBuilder(line.substring(0, lead));
        boolean empty = true;
        for (String word : line.substring(lead).split(" +")) {
            if (!empty && current.length() + 1 + word.length() > width) {
                lines.add(current.toString());
                current = new StringBuilder(indent);
                empty = true;
            }
            if (!empty) {
                current.append(' ');
            }
            current.append(word);
            empty = false;
            while (current.length() > width) {
                lines.add(current.substring(0, width));
                current = new StringBuilder(indent).append(current.substring(width));
            }
        }
        lines.add(current.toString());
        return lines;
    }

    /** A line cut to {@code width}, for a progress bar that is redrawn in place and must not wrap. */
    static String fit(String line, int width) {
        return line.length() <= width ? line : line.substring(0, width);
    }
}

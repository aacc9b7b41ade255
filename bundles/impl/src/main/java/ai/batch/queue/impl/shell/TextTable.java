package ai.batch.queue.impl.shell;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned columns, for terminal output. */
final class TextTable {

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... headers) {
        this.headers = headers;
    }

    TextTable row(Object... cells) {
        String[] text = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            // every cell is queue text or made from it: hidden characters are shown, so rows stay one line each
            text[i] = i < cells.length && cells[i] != null ? ShellText.visible(String.valueOf(cells[i])) : "";
        }
        rows.add(text);
        return this;
    }

    @Override
    public String toString() {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        append(out, headers, widths);
        for (String[] row : rows) {
            append(out, row, widths);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - cells[i].length() + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}

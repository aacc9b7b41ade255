package example.demo;

import java.util.Map;

/**
 * What the demo may draw on its standard output. Escape sequences (the progress bar's in-place redraw) only go to
 * an interactive terminal, and not when {@code NO_COLOR} is set: a log or a pipe must read as plain text. The
 * width comes from the {@code ./demo} script ({@code -Ddemo.columns}, from {@code stty size}) or {@code COLUMNS};
 * Java itself cannot ask the terminal, so without either it is 80.
 *
 * @param interactive whether standard input and output are a terminal ({@code System.console() != null})
 * @param ansi whether escape sequences may be written
 * @param columns how many characters fit on a line
 */
record Terminal(boolean interactive, boolean ansi, int columns) {

    static final int DEFAULT_COLUMNS = 80;
    /** Narrower than this, wrapped text would be mostly indentation. */
    private static final int MIN_COLUMNS = 40;

    /** The process's own terminal. */
    static Terminal detect() {
        return of(System.console() != null, System.getenv(), System.getProperty("demo.columns"));
    }

    /**
     * @param console whether there is a console
     * @param environment the process environment ({@code NO_COLOR}, {@code COLUMNS})
     * @param columnsProperty the {@code demo.columns} system property, or {@code null}
     */
    static Terminal of(boolean console, Map<String, String> environment, String columnsProperty) {
        // https://no-color.org: set to anything but the empty string
        String noColor = environment.get("NO_COLOR");
        boolean ansi = console && (noColor == null || noColor.isEmpty());
        int columns = parse(columnsProperty);
        if (columns <= 0) {
            columns = parse(environment.get("COLUMNS"));
        }
        return new Terminal(console, ansi, columns <= 0 ? DEFAULT_COLUMNS : Math.max(MIN_COLUMNS, columns));
    }

    /** Plain text for pipes and logs, 80 columns: what tests and non-terminal output use. */
    static Terminal plain() {
        return new Terminal(false, false, DEFAULT_COLUMNS);
    }

    private static int parse(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

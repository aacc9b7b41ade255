package ai.batch.queue.ollama;

import java.util.Set;

/**
 * Go's duration syntax ({@code time.ParseDuration}), which Ollama applies to a keep_alive sent as a JSON string:
 * an optional sign, then one or more decimal numbers each with a unit, or a bare {@code 0}. Checked here so that
 * a value Ollama would answer 400 to is refused when configured, not on every request.
 */
final class GoDuration {

    private static final Set<String> UNITS = Set.of("ns", "us", "\u00b5s", "\u03bcs", "ms", "s", "m", "h");

    private GoDuration() {
    }

    static boolean valid(String text) {
        String s = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        if (s.equals("0")) {
            return true;
        }
        if (s.isEmpty()) {
            return false;
        }
        int i = 0;
        while (i < s.length()) {
            int start = i;
            boolean digits = false;
            boolean dot = false;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' && !dot)) {
                digits |= Character.isDigit(s.charAt(i));
                dot |= s.charAt(i) == '.';
                i++;
            }
            if (!digits) {
                return false; // no number, or only a dot
            }
            int unit = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            if (unit == i || !UNITS.contains(s.substring(unit, i)) || start == unit) {
                return false;
            }
        }
        return true;
    }
}

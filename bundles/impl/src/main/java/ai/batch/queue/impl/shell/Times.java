package ai.batch.queue.impl.shell;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The one way the shell shows times: spans as {@code h:mm:ss} (an ETA, how long ago, how long from now), and
 * processing times of items as seconds with one decimal. A column never mixes units.
 */
final class Times {

    private Times() {
    }

    /** @return {@code h:mm:ss}; a part of a second counts as a second, so a span still to come never shows 0 */
    static String clock(long ms) {
        long seconds = Math.max(0, (ms + 999) / 1_000);
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3_600, seconds / 60 % 60, seconds % 60);
    }

    /** @return seconds with one decimal, e.g. {@code 0.4} or {@code 6.0}; "-" for none */
    static String seconds(Long ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.1f", ms / 1_000.0);
    }

    /** @return "0:01:05 ago" */
    static String ago(Instant then, Instant now) {
        return then == null ? "-" : clock(Math.max(0, Duration.between(then, now).toMillis())) + " ago";
    }

    /** @return "in 0:04:00", or "-" for never/unknown */
    static String fromNow(Instant when, Instant now) {
        if (when == null) {
            return "-";
        }
        long ms = Duration.between(now, when).toMillis();
        return ms <= 0 ? "now" : "in " + clock(ms);
    }
}

package ai.batch.queue.runtime.kit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * A server's {@code Retry-After} header as a wait (RFC 9110, section 10.2.3): delta-seconds, or an HTTP date in
 * any of the three forms a recipient must accept. The queue never tries an item sooner than the wait, so the
 * wait is capped: a broken or hostile header must not park an item for longer than {@link #MAX}.
 */
public final class RetryAfter {

    /** The longest wait a server may ask for. */
    public static final Duration MAX = Duration.ofDays(1);

    /** RFC 850 ({@code Thursday, 03-Dec-26 10:01:30 GMT}) and asctime ({@code Thu Dec  3 10:01:30 2026}), in GMT. */
    private static final List<DateTimeFormatter> OBSOLETE_DATES = List.of(
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss", Locale.US),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US));

    private RetryAfter() {
    }

    /**
     * @param header the header's value, or {@code null}
     * @param now the current time, for a date
     * @return how long to wait from now: zero for a date already past (the server asks for no wait), at most
     *         {@link #MAX}; {@code null} when there is no usable header
     */
    public static Duration parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (isSeconds(value)) {
            try {
                return capped(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException | ArithmeticException tooLarge) {
                return MAX;
            }
        }
        Instant at = httpDate(value);
        if (at == null) {
            return null;
        }
        Duration left = Duration.between(now, at);
        return left.isNegative() ? Duration.ZERO : capped(left);
    }

    /**
     * The header in words for an item's message.
     *
     * @param header the header's value, or {@code null}
     * @param now the current time, for a date
     * @param mask takes secrets out of a value that is neither seconds nor a date (it is shown as it came)
     * @return e.g. "retry after 30 s" or "retry after 90 s (Thu, 03 Dec 2026 10:01:30 GMT)"; {@code null} when
     *         there is no header
     */
    public static String words(String header, Instant now, SecretMask mask) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        Duration wait = parse(value, now);
        if (wait == null) {
            return "retry after " + FailureText.serverText(value, mask);
        }
        return "retry after " + wait.toSeconds() + " s" + (isSeconds(value) ? "" : " (" + value + ")");
    }

    private static boolean isSeconds(String value) {
        return value.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The three forms of an HTTP date: IMF-fixdate, RFC 850, asctime. */
    private static Instant httpDate(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException notImf) {
            // try the obsolete forms, which RFC 9110 still asks a recipient to read
        }
        for (DateTimeFormatter obsolete : OBSOLETE_DATES) {
            try {
                return LocalDateTime.parse(value.replace(" GMT", ""), obsolete).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // the next form
            }
        }
        return null;
    }

    private static Duration capped(Duration wait) {
        return wait.compareTo(MAX) > 0 ? MAX : wait;
    }
}

package ai.batch.queue.runtime.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void deltaSecondsAreTheWait() {
        assertThat(RetryAfter.parse("2", NOW)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse(" 120 ", NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("0", NOW)).as("no wait asked").isEqualTo(Duration.ZERO);
    }

    @Test
    void allThreeHttpDateFormsAreRead() {
        assertThat(RetryAfter.parse("Thu, 03 Dec 2026 10:01:30 GMT", NOW)).as("IMF-fixdate")
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse("Thursday, 03-Dec-26 10:01:30 GMT", NOW)).as("RFC 850")
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse("Thu Dec  3 10:01:30 2026", NOW)).as("asctime")
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aDateAlreadyPastAsksForNoWait() {
        assertThat(RetryAfter.parse("Thu, 03 Dec 2026 09:59:00 GMT", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aHugeWaitIsCappedNotOverflowed() {
        assertThat(RetryAfter.parse("99999999999999999999999", NOW)).isEqualTo(RetryAfter.MAX);
        assertThat(RetryAfter.parse("172800", NOW)).isEqualTo(Duration.ofDays(1));
        assertThat(RetryAfter.parse("Fri, 03 Dec 2027 10:00:00 GMT", NOW)).isEqualTo(RetryAfter.MAX);
    }

    @Test
    void anUnusableHeaderGivesNoWait() {
        assertThat(RetryAfter.parse("soon", NOW)).isNull();
        assertThat(RetryAfter.parse("-5", NOW)).isNull();
        assertThat(RetryAfter.parse("", NOW)).isNull();
        assertThat(RetryAfter.parse(null, NOW)).isNull();
    }

    @Test
    void wordsSayTheWaitInSecondsAndKeepTheDate() {
        assertThat(RetryAfter.words("30", NOW, SecretMask.NONE)).isEqualTo("retry after 30 s");
        assertThat(RetryAfter.words("Thu, 03 Dec 2026 10:01:30 GMT", NOW, SecretMask.NONE))
                .isEqualTo("retry after 90 s (Thu, 03 Dec 2026 10:01:30 GMT)");
        assertThat(RetryAfter.words(null, NOW, SecretMask.NONE)).isNull();
    }

    @Test
    void anUnreadableHeaderIsShownMasked() {
        assertThat(RetryAfter.words("when sk-secret-1 allows", NOW, new SecretMask("sk-secret-1")))
                .isEqualTo("retry after when *** allows");
    }
}

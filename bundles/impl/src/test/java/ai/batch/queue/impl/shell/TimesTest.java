package ai.batch.queue.impl.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TimesTest {

    @Test
    void spansAreAlwaysHoursMinutesSeconds() {
        assertThat(Times.clock(0)).isEqualTo("0:00:00");
        assertThat(Times.clock(414)).isEqualTo("0:00:01");
        assertThat(Times.clock(6_000)).isEqualTo("0:00:06");
        assertThat(Times.clock(125_000)).isEqualTo("0:02:05");
        assertThat(Times.clock(3_725_000)).isEqualTo("1:02:05");
    }

    @Test
    void itemTimesAreSecondsWithOneDecimal() {
        assertThat(Times.seconds(414L)).isEqualTo("0.4");
        assertThat(Times.seconds(6_000L)).isEqualTo("6.0");
        assertThat(Times.seconds(null)).isEqualTo("-");
    }

    @Test
    void agoAndFromNow() {
        Instant now = Instant.parse("2026-12-06T04:00:00Z");
        assertThat(Times.ago(now.minusSeconds(65), now)).isEqualTo("0:01:05 ago");
        assertThat(Times.fromNow(now.plusSeconds(240), now)).isEqualTo("in 0:04:00");
        assertThat(Times.fromNow(null, now)).isEqualTo("-");
        assertThat(Times.ago(null, now)).isEqualTo("-");
    }
}

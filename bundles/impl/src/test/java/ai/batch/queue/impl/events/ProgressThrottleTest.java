package ai.batch.queue.impl.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class ProgressThrottleTest {

    private final ProgressThrottle throttle = new ProgressThrottle();

    private static Event progress(int completed) {
        return new Event("ai_batch/item_progress", Map.of("completed", completed));
    }

    @Test
    void offByDefaultEveryEventPasses() {
        for (int i = 1; i <= 100; i++) {
            assertThat(throttle.progress("j", progress(i))).hasSize(1);
        }
        assertThat(throttle.ended("j")).isEmpty();
    }

    @Test
    void aBurstBeyondTheRateKeepsOnlyTheLatestProgressAndDeliversItBeforeTheEnd() {
        throttle.setMaxRate(0.5); // one event per two seconds: the whole burst falls into one interval
        List<Event> delivered = new ArrayList<>();
        for (int i = 1; i <= 1_000; i++) {
            delivered.addAll(throttle.started("j", new Event("ai_batch/item_started", Map.of())));
            delivered.addAll(throttle.progress("j", progress(i)));
        }
        assertThat(delivered).hasSize(1); // the first item_started
        List<Event> atEnd = throttle.ended("j");
        assertThat(atEnd).hasSize(1);
        assertThat(atEnd.get(0).getProperty("completed")).isEqualTo(1_000);
        assertThat(throttle.ended("j")).as("the job is forgotten").isEmpty();
    }

    @Test
    void jobsAreLimitedSeparatelyAndAPauseReleasesWhatIsHeld() {
        throttle.setMaxRate(0.5);
        assertThat(throttle.progress("a", progress(1))).hasSize(1);
        assertThat(throttle.progress("b", progress(1))).hasSize(1);
        assertThat(throttle.progress("a", progress(2))).isEmpty();
        assertThat(throttle.progress("b", progress(2))).isEmpty();
        assertThat(throttle.allHeld()).extracting(event -> event.getProperty("completed")).containsOnly(2);
        assertThat(throttle.held("a")).isEmpty();
    }

    @Test
    void turningTheLimitOffReleasesTheHeldEventFirst() {
        throttle.setMaxRate(0.5);
        throttle.progress("j", progress(1));
        throttle.progress("j", progress(2));
        throttle.setMaxRate(0);
        assertThat(throttle.progress("j", progress(3))).extracting(event -> event.getProperty("completed"))
                .containsExactly(2, 3);
    }

    @Test
    void invalidRatesAreRejectedByName() {
        assertThatThrownBy(() -> throttle.setMaxRate(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events.progress.maxRate");
        assertThatThrownBy(() -> throttle.setMaxRate(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events.progress.maxRate");
    }
}

package ai.batch.queue.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/** The bounded hand-over from the queue's event thread to the dashboard's writer thread. */
class EventInboxTest {

    private static Event event(int n) {
        return new Event("ai_batch/item_progress", Map.of("n", n));
    }

    @Test
    void keepsEventsInOrderWithTheirArrivalTimes() {
        EventInbox inbox = new EventInbox(4);
        assertThat(inbox.offer(event(1), 10)).isTrue();
        assertThat(inbox.offer(event(2), 20)).isTrue();

        assertThat(inbox.drain()).extracting(a -> a.event().getProperty("n"), EventInbox.Arrival::atMs)
                .containsExactly(tuple(1, 10L),
                        tuple(2, 20L));
        assertThat(inbox.drain()).isEmpty();
        assertThat(inbox.takeDropped()).isZero();
    }

    @Test
    void dropsAndCountsWhatDoesNotFitUntilDrained() {
        EventInbox inbox = new EventInbox(3);
        for (int i = 0; i < 5; i++) {
            inbox.offer(event(i), i);
        }
        assertThat(inbox.offer(event(9), 9)).isFalse();

        assertThat(inbox.drain()).extracting(a -> a.event().getProperty("n")).containsExactly(0, 1, 2);
        assertThat(inbox.takeDropped()).isEqualTo(3);
        assertThat(inbox.takeDropped()).isZero();
        assertThat(inbox.offer(event(10), 10)).isTrue();
    }
}

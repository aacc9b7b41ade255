package ai.batch.queue.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Frames, coalescing, rate, buffer bounds, resume and clean-up of the event streams, on a fake clock. */
class SseHubTest {

    private static final long MS = 1_000_000L;

    /** 10 frames per second, 4 buffered events, 5 in the ring, heartbeat after 1 s. */
    private final WebSettings settings = new WebSettings("/batch", false, 10, 4, 5, 1_000, 10);
    private final AtomicInteger snapshots = new AtomicInteger();
    private final SseHub hub = new SseHub(settings, () -> "{\"snapshot\":" + snapshots.incrementAndGet() + "}", 0);

    static final class Recording implements SseClient.Sink {
        final List<String> frames = new ArrayList<>();
        boolean gone;
        boolean closed;
        boolean busy;

        @Override
        public boolean ready() {
            return !busy;
        }

        @Override
        public void write(String text) throws IOException {
            if (gone) {
                throw new IOException("Broken pipe");
            }
            frames.add(text);
        }

        @Override
        public void close() {
            closed = true;
        }

        String last() {
            return frames.get(frames.size() - 1);
        }
    }

    private void publish(int count) {
        for (int i = 0; i < count; i++) {
            hub.publish("ai_batch/job_queued", Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), "{\"n\":" + i + "}");
        }
    }

    @Test
    void newClientGetsASnapshotFirst() {
        Recording sink = new Recording();
        hub.connect(sink, null, 0);
        hub.tick(0);
        assertThat(sink.frames).containsExactly("id: 0\nevent: snapshot\ndata: {\"snapshot\":1}\n\n");
    }

    @Test
    void eventsArrivingFasterThanTheRateAreCoalescedIntoOneFrame() {
        Recording sink = new Recording();
        hub.connect(sink, null, 0);
        hub.tick(0); // snapshot
        publish(3);
        hub.tick(50 * MS); // within 100 ms of the snapshot: nothing
        assertThat(sink.frames).hasSize(1);
        hub.tick(100 * MS);
        assertThat(sink.frames).hasSize(2);
        String frame = sink.last();
        assertThat(frame).startsWith("id: 3\nevent: events\ndata: {\"events\":[{\"id\":1,\"topic\":"
                + "\"ai_batch/job_queued\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"n\":0}},");
        assertThat(frame).contains("\"data\":{\"n\":2}}]}\n\n").doesNotContain("\n\n\n");
        assertThat(frame.split("\n")).hasSize(3);
    }

    @Test
    void atMostMaxRateFramesPerSecond() {
        Recording sink = new Recording();
        hub.connect(sink, null, 0);
        for (long t = 0; t < 1_000 * MS; t += 10 * MS) {
            publish(1);
            hub.tick(t);
        }
        assertThat(sink.frames).hasSizeLessThanOrEqualTo(10);
    }

    @Test
    void overflowDropsTheBufferAndSendsOneFreshSnapshot() {
        Recording sink = new Recording();
        SseClient client = hub.connect(sink, null, 0);
        hub.tick(0);
        publish(4);
        assertThat(client.buffered()).isEqualTo(4);
        publish(100);
        assertThat(client.buffered()).isZero();
        assertThat(client.overflows()).isEqualTo(1);
        hub.tick(100 * MS);
        assertThat(sink.last()).isEqualTo("id: 104\nevent: snapshot\ndata: {\"snapshot\":2}\n\n");
        publish(1);
        hub.tick(200 * MS);
        assertThat(sink.last()).startsWith("id: 105\nevent: events");
    }

    @Test
    void skippedEventsTurnEveryClientsNextFrameIntoASnapshot() {
        Recording first = new Recording();
        Recording second = new Recording();
        hub.connect(first, null, 0);
        hub.connect(second, null, 0);
        hub.tick(0);
        publish(2);
        hub.requestSnapshots();
        hub.tick(100 * MS);
        assertThat(first.last()).startsWith("id: 2\nevent: snapshot\ndata: {\"snapshot\":");
        assertThat(second.last()).startsWith("id: 2\nevent: snapshot\ndata: {\"snapshot\":");
        assertThat(first.frames).hasSize(2);
        assertThat(second.frames).hasSize(2);
        assertThat(snapshots.get()).isEqualTo(4); // two first snapshots, two fresh ones
    }

    @Test
    void lastEventIdResumesFromTheRingBuffer() {
        publish(4);
        Recording sink = new Recording();
        hub.connect(sink, "2", 0);
        hub.tick(0);
        assertThat(sink.frames).hasSize(1);
        assertThat(sink.last()).startsWith("id: 4\nevent: events\ndata: {\"events\":[{\"id\":3,");
        assertThat(snapshots.get()).isZero();
    }

    @Test
    void lastEventIdUpToDateSendsNothingUntilTheNextEvent() {
        publish(2);
        Recording sink = new Recording();
        hub.connect(sink, "2", 0);
        hub.tick(0);
        assertThat(sink.frames).isEmpty();
        publish(1);
        hub.tick(10 * MS);
        assertThat(sink.last()).startsWith("id: 3\nevent: events");
    }

    @Test
    void tooOldOrUnknownLastEventIdGetsASnapshot() {
        publish(10); // the ring keeps 6..10
        for (String id : new String[] {"3", "4", "99", "garbage"}) {
            Recording sink = new Recording();
            hub.connect(sink, id, 0);
            hub.tick(0);
            assertThat(sink.frames).as(id).singleElement().asString().startsWith("id: 10\nevent: snapshot");
        }
        Recording justInTime = new Recording();
        hub.connect(justInTime, "6", 0); // 7..10: within the ring and within the client's buffer of 4
        hub.tick(0);
        assertThat(justInTime.last()).startsWith("id: 10\nevent: events\ndata: {\"events\":[{\"id\":7,");
    }

    @Test
    void idleStreamGetsHeartbeats() {
        Recording sink = new Recording();
        hub.connect(sink, null, 0);
        hub.tick(0);
        hub.tick(900 * MS);
        assertThat(sink.frames).hasSize(1);
        hub.tick(1_000 * MS);
        assertThat(sink.last()).isEqualTo(": heartbeat\n\n");
    }

    @Test
    void disconnectedClientIsRemovedAtTheNextWrite() {
        Recording sink = new Recording();
        hub.connect(sink, null, 0);
        hub.tick(0);
        sink.gone = true;
        publish(1);
        assertThat(hub.clientCount()).isEqualTo(1);
        hub.tick(100 * MS);
        assertThat(hub.clientCount()).isZero();
        assertThat(sink.closed).isTrue();
        publish(1); // nobody to buffer for
    }

    @Test
    void slowBrowserNeverHoldsUpPublishing() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SseClient.Sink stuck = new SseClient.Sink() {
            @Override
            public void write(String text) throws IOException {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void close() {
            }
        };
        SseClient client = hub.connect(stuck, null, 0);
        Thread writer = new Thread(() -> hub.tick(0));
        writer.start();
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        publish(100_000);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(client.buffered()).isLessThanOrEqualTo(settings.clientBuffer());
        release.countDown();
        writer.join(5_000);
    }

    @Test
    void browserStillTakingAFrameIsPassedOverWhileOthersGetTheirs() {
        Recording slow = new Recording();
        Recording fast = new Recording();
        SseClient slowClient = hub.connect(slow, null, 0);
        hub.connect(fast, null, 0);
        hub.tick(0);
        slow.busy = true;
        publish(2);
        hub.tick(100 * MS);
        assertThat(fast.frames).hasSize(2);
        assertThat(slow.frames).hasSize(1);
        assertThat(slowClient.buffered()).isEqualTo(2);
        hub.tick(900 * MS); // no heartbeat either while busy, and within a heartbeat it is not dropped
        assertThat(slow.frames).hasSize(1);
        assertThat(hub.clientCount()).isEqualTo(2);
        slow.busy = false;
        hub.tick(1_000 * MS);
        assertThat(slow.last()).startsWith("id: 2\nevent: events");
    }

    @Test
    void aBrowserThatTakesNothingForAHeartbeatIsDropped() {
        Recording stuck = new Recording();
        hub.connect(stuck, null, 0);
        hub.tick(0);
        stuck.busy = true; // its socket closed under a pending write, or it never reads
        hub.tick(999 * MS);
        assertThat(hub.clientCount()).isEqualTo(1);
        hub.tick(1_000 * MS);
        assertThat(hub.clientCount()).isZero();
        assertThat(stuck.closed).isTrue();
    }

    @Test
    void atMostMaxClientsStreamsAreOpen() {
        SseHub small = new SseHub(new WebSettings("/batch", false, 10, 4, 5, 1_000, 10, java.util.List.of(), 2),
                () -> "{}", 0);
        assertThat(small.hasRoom()).isTrue();
        assertThat(small.connect(new Recording(), null, 0)).isNotNull();
        Recording second = new Recording();
        SseClient client = small.connect(second, null, 0);
        assertThat(small.hasRoom()).isFalse();
        assertThat(small.connect(new Recording(), null, 0)).isNull();
        assertThat(small.clientCount()).isEqualTo(2);
        small.disconnect(client);
        assertThat(small.hasRoom()).isTrue();
        assertThat(small.connect(new Recording(), null, 0)).isNotNull();
    }

    @Test
    void aPlaceIsTakenBeforeTheAnswerBeginsSoThatNoRequestInBetweenGetsIt() {
        SseHub small = new SseHub(new WebSettings("/batch", false, 10, 4, 5, 1_000, 10, java.util.List.of(), 2),
                () -> "{}", 0);
        assertThat(small.reserve()).isTrue();
        assertThat(small.reserve()).isTrue();
        // both answers have begun, neither stream is connected yet: a third request finds no room
        assertThat(small.reserve()).isFalse();
        assertThat(small.connect(new Recording(), null, 0)).isNull();
        assertThat(small.connectReserved(new Recording(), null, 0)).isNotNull();
        small.release(); // the other stream failed before it started
        assertThat(small.clientCount()).isEqualTo(1);
        assertThat(small.reserve()).isTrue();
    }

    @Test
    void closeAllEndsEveryStream() {
        Recording one = new Recording();
        Recording two = new Recording();
        hub.connect(one, null, 0);
        hub.connect(two, null, 0);
        hub.closeAll();
        assertThat(one.closed).isTrue();
        assertThat(two.closed).isTrue();
        assertThat(hub.clientCount()).isZero();
    }

    @Test
    void payloadsFromOtherPublishersCannotBreakAFrame() {
        assertThat(SseHub.oneLineJson("{\n  \"a\": 1\r\n}")).isEqualTo("{   \"a\": 1  }");
        assertThat(SseHub.oneLineJson("not json\nevent: fake")).isEqualTo("\"not json\\u000aevent: fake\"");
        assertThat(SseHub.oneLineJson(null)).isEqualTo("null");
        Recording sink = new Recording();
        hub.connect(sink, "0", 0);
        hub.publish("ai_batch/x", 0, "{\n\"a\":1}");
        hub.tick(0);
        assertThat(sink.last().split("\n")).hasSize(3);
    }

    @Test
    void topicsAndTimesAreQuotedAsJson() {
        assertThat(SseHub.quote("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\u000ad\"");
        assertThat(SseHub.quote(null)).isEqualTo("null");
    }

    @Test
    void inFleetModeTheIdsAreTheOutboxNumbersSoABrowserResumesOnAnotherNode() {
        SseHub other = new SseHub(settings, () -> "{\"snapshot\":0}", 0);
        for (long seq : new long[] {7, 8, 10, 11}) { // 9 was rolled back: no event has it
            hub.publish("ai_batch/item_progress", 0, "{\"seq\":" + seq + "}", seq);
            other.publish("ai_batch/item_progress", 0, "{\"seq\":" + seq + "}", seq);
        }
        Recording sink = new Recording();
        hub.connect(sink, null, 0);
        hub.tick(0);
        assertThat(sink.last()).startsWith("id: 11\n");

        Recording moved = new Recording();
        other.connect(moved, "8", 0); // the browser last saw 8 on the first node
        other.tick(0);

        assertThat(moved.frames).hasSize(1);
        assertThat(moved.last()).startsWith("id: 11\nevent: events\n").contains("{\"seq\":10}").contains("{\"seq\":11}")
                .doesNotContain("{\"seq\":8}");
        assertThat(other.publish("ai_batch/paused", 0, "{}", 0)).as("an event of this node only").isEqualTo(12);
    }
}

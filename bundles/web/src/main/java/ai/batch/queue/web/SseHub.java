package ai.batch.queue.web;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The event streams: numbers every queue event, keeps the last ones in a ring buffer for {@code Last-Event-ID}
 * resume, hands each to every client's bounded buffer, and (on the writer thread, {@link #tick}) writes each
 * client's buffer as one {@code events} frame at most {@code sse.maxRate} times per second, a {@code snapshot}
 * frame when a client is new, too far behind or overflowed, and heartbeat comments when idle. At most
 * {@code sse.maxClients} streams are open at once; a stream whose write fails, or whose browser has taken nothing
 * for a heartbeat interval, is dropped.
 *
 * <p>Frames: {@code id: <last event id>}, {@code event: events} with {@code data: {"events":[{"id":…,"topic":…,
 * "time":…,"data":{…the event's JSON…}}…]}}, or {@code event: snapshot} with {@code data: {"jobs":[…],"plan":{…},
 * "stats":{…}}}; heartbeats are {@code : heartbeat} lines.
 */
final class SseHub {

    /**
     * A numbered queue event. Its JSON is built when a browser first needs it, so that events nobody watches cost
     * no text.
     */
    static final class Event {
        private final long id;
        private final String topic;
        private final long timeMs;
        private final String data;
        private String json;

        Event(long id, String topic, long timeMs, String data) {
            this.id = id;
            this.topic = topic;
            this.timeMs = timeMs;
            this.data = data;
        }

        /** @return its number, increasing by one */
        long id() {
            return id;
        }

        /** @return about how many characters its JSON has, without building it (for the client buffer's bound) */
        long approximateLength() {
            return data.length() + topic.length() + 64L;
        }

        /** @return {@code {"id":…,"topic":…,"time":…,"data":…}}; built once */
        String json() {
            String built = json;
            if (built == null) {
                built = "{\"id\":" + id + ",\"topic\":" + quote(topic) + ",\"time\":"
                        + quote(Instant.ofEpochMilli(timeMs).toString()) + ",\"data\":" + oneLineJson(data) + "}";
                json = built; // a String is safely published; a race builds the same text twice at worst
            }
            return built;
        }
    }

    /** Per client, on average at most about this many characters per buffered event. */
    static final long CHARS_PER_EVENT = 4096;

    private final WebSettings settings;
    private final Supplier<String> snapshot;
    private final ArrayDeque<Event> ring = new ArrayDeque<>();
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private int reserved; // places taken by streams whose answer has begun but who are not connected yet
    private long lastId;

    /**
     * @param settings rate, buffer, replay and heartbeat settings
     * @param snapshot the JSON of a fresh snapshot (called on the writer thread)
     * @param lastId the id before the first event: the dashboard's start time in microseconds, so that an id a
     *        browser kept from an earlier run is never mistaken for one of this run
     */
    SseHub(WebSettings settings, Supplier<String> snapshot, long lastId) {
        this.settings = settings;
        this.snapshot = snapshot;
        this.lastId = lastId;
    }

    /**
     * Numbers an event, keeps it for resume and buffers it for every client. Never blocks on a browser.
     *
     * @param topic the event's topic
     * @param timeMs when it arrived, milliseconds since the epoch
     * @param dataJson the event's payload as JSON
     * @return the event's id
     */
    synchronized long publish(String topic, long timeMs, String dataJson) {
        return publish(topic, timeMs, dataJson, 0);
    }

    /**
     * As {@link #publish(String, long, String)}, numbered by the fleet's outbox when the event comes from it: its
     * {@code seq} becomes its id, so that a browser can resume on any node of the fleet, every node having relayed
     * the same events under the same numbers. An event without one (or with one not above the last id) takes the
     * next number.
     *
     * @param outboxSeq the event's outbox sequence number, or 0 for none
     */
    synchronized long publish(String topic, long timeMs, String dataJson, long outboxSeq) {
        long id = outboxSeq > lastId ? outboxSeq : ++lastId;
        lastId = id;
        Event event = new Event(id, topic, timeMs, dataJson == null ? "{}" : dataJson);
        ring.addLast(event);
        while (ring.size() > settings.replayBuffer()) {
            ring.removeFirst();
        }
        for (SseClient client : clients) {
            client.offer(event);
        }
        return id;
    }

    /**
     * Adds a browser. Without a usable {@code Last-Event-ID} it gets a snapshot first; with one the ring buffer
     * still holds the events after, it gets those; otherwise a snapshot.
     *
     * @param sink where its frames go
     * @param lastEventId the {@code Last-Event-ID} header, or null
     * @param now the current time, nanoseconds
     * @return the client, or null when {@code sse.maxClients} streams are open already
     */
    synchronized SseClient connect(SseClient.Sink sink, String lastEventId, long now) {
        if (!hasRoom()) {
            return null;
        }
        return add(sink, lastEventId, now);
    }

    /**
     * Adds a browser for a place taken with {@link #reserve()}: the place was held from before its answer began,
     * so no other request can take it meanwhile.
     */
    synchronized SseClient connectReserved(SseClient.Sink sink, String lastEventId, long now) {
        reserved--;
        return add(sink, lastEventId, now);
    }

    private SseClient add(SseClient.Sink sink, String lastEventId, long now) {
        SseClient client = new SseClient(sink, settings.clientBuffer(),
                settings.clientBuffer() * CHARS_PER_EVENT, now);
        long resumeFrom = parse(lastEventId);
        boolean replayable = resumeFrom >= 0 && resumeFrom <= lastId
                && (resumeFrom == lastId || !ring.isEmpty() && ring.peekFirst().id() <= resumeFrom + 1);
        if (replayable) {
            for (Event event : ring) {
                if (event.id() > resumeFrom) {
                    client.offer(event);
                }
            }
        } else {
            client.requestSnapshot();
        }
        clients.add(client);
        return client;
    }

    /** @return whether another stream may open now ({@code sse.maxClients}, places reserved included) */
    synchronized boolean hasRoom() {
        return clients.size() + reserved < settings.maxClients();
    }

    /**
     * Takes a place for a stream about to start, before its answer is sent: checking for room and connecting
     * later would let the requests in between see the same free place, and exceed the cap.
     *
     * @return whether a place was free; then {@link #connectReserved} or {@link #release()} must follow
     */
    synchronized boolean reserve() {
        if (!hasRoom()) {
            return false;
        }
        reserved++;
        return true;
    }

    /** Gives back a place reserved for a stream that did not start. */
    synchronized void release() {
        reserved--;
    }

    /** Makes every client's next frame a fresh snapshot (events were skipped before reaching the hub). */
    void requestSnapshots() {
        for (SseClient client : clients) {
            client.requestSnapshot();
        }
    }

    /** Removes a client (its browser went away) and ends its response. */
    void disconnect(SseClient client) {
        clients.remove(client);
        client.close();
    }

    /**
     * Writes what is due to every client: called by the writer thread only.
     *
     * @param now the current time, nanoseconds
     */
    void tick(long now) {
        long minInterval = settings.minFrameIntervalNanos();
        long heartbeat = settings.heartbeatMs() * 1_000_000L;
        for (SseClient client : clients) {
            boolean alive = true;
            if (!client.writable()) {
                // still sending the previous frame: its events wait in its buffer; but a browser that has taken
                // nothing for a whole heartbeat is gone or stuck (its socket closed under a pending write, or a
                // response that never drains), and would hold its buffer and connection for ever
                alive = !client.isClosed() && now - client.lastWriteAt() < heartbeat;
            } else if (client.frameDue(now)) {
                alive = client.wantsSnapshot() ? writeSnapshot(client, now, minInterval)
                        : writeEvents(client, client.drain(), now, minInterval);
            } else if (now - client.lastWriteAt() >= heartbeat) {
                alive = client.write(": heartbeat\n\n", now, minInterval, false);
            }
            if (!alive || client.isClosed()) {
                disconnect(client);
            }
        }
    }

    private boolean writeSnapshot(SseClient client, long now, long minInterval) {
        long id;
        synchronized (this) {
            client.snapshotTaken(); // events after this id are buffered again and follow the snapshot
            id = lastId;
        }
        return client.write(frame(id, "snapshot", snapshot.get()), now, minInterval, true);
    }

    private static boolean writeEvents(SseClient client, List<Event> events, long now, long minInterval) {
        if (events.isEmpty()) {
            return true;
        }
        StringBuilder data = new StringBuilder(64 + events.size() * 256).append("{\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            data.append(i == 0 ? "" : ",").append(events.get(i).json());
        }
        data.append("]}");
        return client.write(frame(events.get(events.size() - 1).id(), "events", data.toString()), now, minInterval,
                true);
    }

    /** Closes every stream (the browsers reconnect to whatever serves the path next). */
    void closeAll() {
        for (SseClient client : clients) {
            disconnect(client);
        }
    }

    int clientCount() {
        return clients.size();
    }

    synchronized long lastId() {
        return lastId;
    }

    /** @return how often, in nanoseconds, the writer thread should call {@link #tick} */
    long tickNanos() {
        long interval = settings.minFrameIntervalNanos() / 4;
        return Math.max(10_000_000L, Math.min(100_000_000L, interval));
    }

    static String frame(long id, String event, String data) {
        return "id: " + id + "\nevent: " + event + "\ndata: " + data + "\n\n";
    }

    /**
     * An SSE data line ends at a line break, so a payload must be one line: JSON objects lose their line breaks
     * (outside strings they are mere whitespace; inside, JSON has them escaped), anything else becomes a string.
     */
    static String oneLineJson(String json) {
        String trimmed = json == null ? "" : json.trim();
        if (!(trimmed.startsWith("{") && trimmed.endsWith("}"))) {
            return quote(json);
        }
        return trimmed.indexOf('\n') < 0 && trimmed.indexOf('\r') < 0 ? trimmed
                : trimmed.replace('\n', ' ').replace('\r', ' ');
    }

    private static long parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}

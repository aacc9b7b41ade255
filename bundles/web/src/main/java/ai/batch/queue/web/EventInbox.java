package ai.batch.queue.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.event.Event;

/**
 * Where the dashboard's event handler leaves the queue's events for the writer thread: the queue's event thread
 * only stamps an event and appends it, so the dashboard's own work (history, numbering, JSON, browsers) never
 * slows the delivery of the queue's events. Bounded: when the writer thread falls this far behind, further events
 * are counted and dropped, and the writer sends every browser a fresh snapshot instead.
 */
final class EventInbox {

    /** Events waiting at most: about 65 ms of a queue running one million events a second. */
    static final int CAPACITY = 65_536;

    /**
     * An event and when it arrived.
     *
     * @param event the queue's event
     * @param atMs when the dashboard received it, milliseconds since the epoch
     */
    record Arrival(Event event, long atMs) {
    }

    private final ArrayBlockingQueue<Arrival> waiting;
    private final AtomicLong dropped = new AtomicLong();

    EventInbox(int capacity) {
        this.waiting = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Appends an event without waiting.
     *
     * @param event the event
     * @param atMs when it arrived
     * @return false when the inbox was full and the event was dropped (and counted)
     */
    boolean offer(Event event, long atMs) {
        if (waiting.offer(new Arrival(event, atMs))) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** @return the waiting events, oldest first, removed from the inbox */
    List<Arrival> drain() {
        List<Arrival> arrivals = new ArrayList<>(Math.min(waiting.size(), CAPACITY));
        waiting.drainTo(arrivals);
        return arrivals;
    }

    /** @return how many events were dropped since the last call */
    long takeDropped() {
        return dropped.getAndSet(0);
    }
}

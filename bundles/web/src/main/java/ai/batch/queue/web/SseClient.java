package ai.batch.queue.web;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One browser's event stream. The queue's side ({@link #offer}) only appends to a bounded buffer and never waits
 * for the browser; the hub's writer thread ({@link SseHub#tick}) turns what is buffered into at most one frame per
 * interval. When the buffer would exceed its bounds, its events are dropped and the client gets one fresh snapshot
 * instead, so a slow browser costs at most the bounded buffer. Nothing here waits for a browser: the response is
 * written in non-blocking mode and a browser that has not taken its previous frame is passed over.
 */
final class SseClient {

    /** Where frames go: the servlet response, or a list in tests. Called by one thread at a time. */
    interface Sink {
        /**
         * @return whether {@link #write} can take text now without waiting for the browser (the response is in
         *         non-blocking mode: false while the previous frame is still on its way)
         */
        default boolean ready() {
            return true;
        }

        /** Writes the text and flushes it without waiting; throws when the browser has gone. */
        void write(String text) throws IOException;

        /** Ends the response. */
        void close();
    }

    private final Sink sink;
    private final int maxEvents;
    private final long maxChars;
    private final ArrayDeque<SseHub.Event> buffer = new ArrayDeque<>();
    private long bufferedChars;
    private boolean needsSnapshot;
    private boolean closed;
    private int overflows;
    private long nextFrameAt;
    private long lastWriteAt;

    SseClient(Sink sink, int maxEvents, long maxChars, long now) {
        this.sink = sink;
        this.maxEvents = maxEvents;
        this.maxChars = maxChars;
        this.nextFrameAt = now;
        this.lastWriteAt = now;
    }

    /** Buffers an event; on overflow drops the buffer and asks for a snapshot. Never blocks on the browser. */
    synchronized void offer(SseHub.Event event) {
        if (closed || needsSnapshot) {
            return; // a snapshot taken later covers the event
        }
        if (buffer.size() >= maxEvents || bufferedChars + event.approximateLength() > maxChars) {
            buffer.clear();
            bufferedChars = 0;
            needsSnapshot = true;
            overflows++;
            return;
        }
        buffer.addLast(event);
        bufferedChars += event.approximateLength();
    }

    /** Sends a snapshot as the next frame instead of anything buffered. */
    synchronized void requestSnapshot() {
        buffer.clear();
        bufferedChars = 0;
        needsSnapshot = true;
    }

    synchronized boolean wantsSnapshot() {
        return needsSnapshot;
    }

    /** Clears the snapshot request and the buffer: the caller is about to take a snapshot. */
    synchronized void snapshotTaken() {
        needsSnapshot = false;
        buffer.clear();
        bufferedChars = 0;
    }

    /** @return whether a frame may be written now (rate limit) */
    synchronized boolean frameDue(long now) {
        return !closed && now - nextFrameAt >= 0 && (needsSnapshot || !buffer.isEmpty());
    }

    /**
     * @return whether the browser has taken the previous frame; while it has not, frames wait in the buffer (and
     *         overflow into a snapshot) instead of holding up the writer thread
     */
    boolean writable() {
        try {
            return sink.ready();
        } catch (RuntimeException e) {
            close();
            return false;
        }
    }

    /** @return the buffered events, removed from the buffer, oldest first */
    synchronized List<SseHub.Event> drain() {
        List<SseHub.Event> events = new ArrayList<>(buffer);
        buffer.clear();
        bufferedChars = 0;
        return events;
    }

    /**
     * Writes one frame (or a heartbeat) and flushes it.
     *
     * @return false when the browser has gone; the client is then closed
     */
    boolean write(String text, long now, long minInterval, boolean isFrame) {
        try {
            sink.write(text);
        } catch (IOException | RuntimeException e) {
            close();
            return false;
        }
        synchronized (this) {
            lastWriteAt = now;
            if (isFrame) {
                nextFrameAt = now + minInterval;
            }
        }
        return true;
    }

    synchronized long lastWriteAt() {
        return lastWriteAt;
    }

    /** @return how many times the buffer overflowed and was replaced by a snapshot */
    synchronized int overflows() {
        return overflows;
    }

    /** @return events waiting */
    synchronized int buffered() {
        return buffer.size();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Stops buffering and ends the response; idempotent. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            buffer.clear();
            bufferedChars = 0;
        }
        try {
            sink.close();
        } catch (RuntimeException e) {
            // the response is gone already
        }
    }
}

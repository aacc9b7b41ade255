package ai.batch.queue.benchmarks.dashboard;

import java.net.URI;

/**
 * Someone looking at the dashboard while the queue works: case (j) measures the queue's throughput with one of
 * these connected.
 */
public interface Viewer extends AutoCloseable {

    /** The kinds of viewer, by the name case (j)'s {@code viewer} parameter uses. */
    enum Kind {
        /** The dashboard runs, nobody has it open: what its event handler costs the queue. */
        NONE,
        /** A client reading the event stream ({@code /batch/api/events}) as fast as it arrives. */
        STREAM,
        /** A client that opened the event stream and then stopped reading: a browser tab that hangs. */
        STALLED,
        /** Headless Chromium with the page open: the page's own script on the live stream. */
        BROWSER;

        /**
         * @param name the parameter value, e.g. {@code stream}
         * @return the kind
         * @throws IllegalArgumentException naming the value if there is no such kind
         */
        public static Kind of(String name) {
            for (Kind kind : values()) {
                if (kind.name().equalsIgnoreCase(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("Unknown viewer '" + name + "'; expected none, stream, stalled or "
                    + "browser");
        }
    }

    /**
     * Connects a viewer and waits (within a deadline) until the dashboard serves it.
     *
     * @param kind what kind
     * @param page the dashboard's page, {@code http://host:port/batch}
     * @return the connected viewer, or null for {@link Kind#NONE}
     */
    static Viewer open(Kind kind, URI page) {
        return switch (kind) {
            case NONE -> null;
            case STREAM -> StreamViewer.open(page);
            case STALLED -> StalledViewer.open(page);
            case BROWSER -> BrowserViewer.open(page);
        };
    }

    /** @return whether the system has the Chromium and chromedriver that {@link Kind#BROWSER} needs */
    static boolean browserAvailable() {
        return BrowserViewer.available();
    }

    /** @return stream frames ({@code snapshot} or {@code events}) this viewer has received so far */
    long framesReceived();

    /**
     * Fails unless the viewer is still connected and (unless it stopped reading on purpose) still receiving; a
     * viewer that stopped reading may instead have been dropped by the dashboard (after {@code sse.heartbeatMs}),
     * which it reports rather than fails on.
     *
     * @param framesBefore {@link #framesReceived()} when the measurement started
     * @throws IllegalStateException describing what is wrong
     */
    void requireLive(long framesBefore);

    /** Disconnects. */
    @Override
    void close();
}

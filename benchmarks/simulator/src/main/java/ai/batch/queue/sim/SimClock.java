package ai.batch.queue.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Simulated time: the queue reads it, the simulation moves it from event to event. Time never runs by itself, so
 * a run is instant and exactly repeatable. Single-threaded, like the simulation.
 */
public final class SimClock extends Clock {

    private final Instant origin;
    private long elapsedMs;

    /** @param origin the instant of simulated time 0 */
    public SimClock(Instant origin) {
        this.origin = origin;
    }

    /**
     * Moves the clock to a simulated time.
     *
     * @param ms milliseconds since the origin; never earlier than the current time
     */
    public void setMillis(long ms) {
        if (ms < elapsedMs) {
            throw new IllegalArgumentException("simulated time runs forward: " + ms + " ms < " + elapsedMs + " ms");
        }
        elapsedMs = ms;
    }

    /** @return milliseconds since the origin */
    public long millis() {
        return elapsedMs;
    }

    /** @return the origin plus {@code ms} */
    public Instant at(long ms) {
        return origin.plusMillis(ms);
    }

    /** @return milliseconds from the origin to {@code instant} */
    public long toMillis(Instant instant) {
        return instant.toEpochMilli() - origin.toEpochMilli();
    }

    @Override
    public Instant instant() {
        return origin.plusMillis(elapsedMs);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("simulated time is kept in UTC");
    }
}

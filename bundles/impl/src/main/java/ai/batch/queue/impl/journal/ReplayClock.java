package ai.batch.queue.impl.journal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock, except while a journal is replayed: then the time of the record being replayed. */
public final class ReplayClock extends Clock {

    private volatile Instant fixed;

    void fix(Instant at) {
        fixed = at;
    }

    void release() {
        fixed = null;
    }

    @Override
    public Instant instant() {
        Instant at = fixed;
        return at != null ? at : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the queue keeps time in UTC");
    }
}

package ai.batch.queue.impl.osgi;

import ai.batch.queue.impl.events.EventPublisher;

/** Checks of the event settings, and the limits that are not configurable. */
final class EventSettings {

    /**
     * The longest the queue waits for room when the backlog of undelivered events is full; after it the queue
     * goes on (and logs it) so that a stuck subscriber can never wedge it.
     */
    static final long MAX_WAIT_FOR_ROOM_MS = 10_000;

    private EventSettings() {
    }

    /** @throws IllegalArgumentException naming the key of an invalid value */
    static void check(QueueConfig config) {
        if (config.events_maxBacklog() < 1) {
            throw new IllegalArgumentException("events.maxBacklog must be at least 1, was "
                    + config.events_maxBacklog());
        }
        EventPublisher.checkProgressMaxRate(config.events_progress_maxRate());
    }
}

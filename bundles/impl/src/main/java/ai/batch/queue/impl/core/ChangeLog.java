package ai.batch.queue.impl.core;

/**
 * Where the queue records its changes, e.g. a durable journal. {@link #append} is called under the queue's lock,
 * in the order of the changes, and must not block for long; {@link #awaitDurable} is called after the lock is
 * released, before the change is acknowledged to the caller.
 */
public interface ChangeLog {

    /** Records nothing: the memory-only queue. */
    ChangeLog NONE = new ChangeLog() {
        @Override
        public long append(Change change) {
            return 0;
        }

        @Override
        public void awaitDurable(long ticket) {
            // nothing to wait for
        }
    };

    /**
     * Takes a change for recording.
     *
     * @param change the change
     * @return a ticket for {@link #awaitDurable}; 0 when there is nothing to wait for
     * @throws IllegalArgumentException if the change cannot be recorded (e.g. item data that cannot be written);
     *         the queue then rejects the call and changes nothing
     */
    long append(Change change);

    /** Returns once the change with this ticket (and all before it) is durable. */
    void awaitDurable(long ticket);
}

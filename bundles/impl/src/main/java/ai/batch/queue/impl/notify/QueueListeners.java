package ai.batch.queue.impl.notify;

/** Where {@link QueueListener}s are registered: each is told about every change from then on, in order. */
public interface QueueListeners {

    void add(QueueListener listener);

    /** Stops telling a listener; one already being told finishes its current notification. */
    void remove(QueueListener listener);
}

package ai.batch.queue.fleet;

/**
 * This node no longer owns what it tried to write: its epoch was bumped (the reaper declared it dead after a
 * pause or a lost connection) or it has stopped. It must stop claiming and drop its in-flight results; they run
 * again elsewhere.
 */
final class FencedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    FencedException(String node, long epoch) {
        super("Node " + node + " (epoch " + epoch + ") was declared dead or has stopped; its leases went back to the queue");
    }
}

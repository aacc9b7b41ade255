package ai.batch.queue.fleet;

import java.util.Map;
import java.util.Objects;

/**
 * One event of the fleet, as the outbox keeps it: its {@code ai_batch/*} topic, its properties (JSON values:
 * strings, numbers, booleans; no nulls), the node whose transaction wrote it, and its outbox sequence number
 * (0 before it is written).
 *
 * @param seq the outbox sequence number, 0 while not yet written
 * @param node the node whose transaction wrote it, or {@code null} for a write made outside any node
 * @param topic the EventAdmin topic
 * @param properties the event properties
 */
record FleetEvent(long seq, String node, String topic, Map<String, Object> properties) {

    FleetEvent {
        Objects.requireNonNull(topic, "topic");
        properties = Map.copyOf(properties);
    }

    static FleetEvent of(String topic, Map<String, Object> properties) {
        return new FleetEvent(0, null, topic, properties);
    }
}

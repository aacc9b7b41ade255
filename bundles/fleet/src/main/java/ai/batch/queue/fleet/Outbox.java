package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes events to the outbox inside the transaction that made the change, and wakes the relays once per
 * transaction ({@code pg_notify} on {@link #CHANNEL}), never once per event.
 */
final class Outbox {

    /** The channel every node's relay listens on. */
    static final String CHANNEL = "batch_fleet_outbox";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Outbox() {
    }

    static void write(Connection connection, String node, List<FleetEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO batch_fleet_outbox (node_id, topic, props) VALUES (?, ?, ?::jsonb)")) {
            for (FleetEvent event : events) {
                insert.setString(1, node);
                insert.setString(2, event.topic());
                insert.setString(3, toJson(event.properties()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (Statement notify = connection.createStatement()) {
            notify.execute("NOTIFY " + CHANNEL);
        }
    }

    static String toJson(Map<String, Object> properties) {
        try {
            return JSON.writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("An event property cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}

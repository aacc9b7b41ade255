package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
        write(connection, node, events, true);
    }

    /**
     * @param notify whether this transaction wakes the relays itself; the slots' claims and settlements leave it to
     *        their node's {@link Notifier}, which wakes them once for many transactions (a transaction that
     *        notifies holds PostgreSQL's notification lock through its commit, so notifying ones commit one by one)
     */
    static void write(Connection connection, String node, List<FleetEvent> events, boolean notify) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        String[] topics = new String[events.size()];
        String[] properties = new String[events.size()];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = events.get(i).topic();
            properties[i] = toJson(events.get(i).properties());
        }
        String insertRows = "INSERT INTO batch_fleet_outbox (node_id, topic, props) SELECT ?, e.topic, e.props::jsonb "
                + "FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS e (topic, props, n) ORDER BY e.n";
        try (PreparedStatement insert = connection.prepareStatement(notify ? "WITH written AS (" + insertRows
                + " RETURNING 1) SELECT pg_notify('" + CHANNEL + "', '') FROM (SELECT count(*) FROM written) w" : insertRows)) {
            insert.setString(1, node);
            insert.setArray(2, connection.createArrayOf("text", topics));
            insert.setArray(3, connection.createArrayOf("text", properties));
            insert.execute();
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

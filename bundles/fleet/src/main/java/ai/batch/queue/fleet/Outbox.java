package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes events to the outbox inside the transaction that made the change, and wakes the relays once per
 * transaction ({@code pg_notify} on {@link #CHANNEL}), never once per event; knows its newest number and prunes it.
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

    /**
     * The greatest sequence number in the outbox, 0 when empty: the start of a node that wants events from now on
     * (events of transactions still open then, with lower numbers, are not delivered to it).
     */
    static long newest(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM batch_fleet_outbox")) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * Deletes the events written more than {@code retention} ago (database clock). A relay that had not read them
     * yet sees a gap whose transactions have ended, and passes it.
     *
     * @return the number of events deleted
     */
    static int prune(DataSource dataSource, Duration retention) throws SQLException {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("A negative outbox retention: " + retention);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM batch_fleet_outbox WHERE at < now() - make_interval(secs => ?)")) {
            s.setDouble(1, retention.toMillis() / 1000.0);
            return s.executeUpdate();
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

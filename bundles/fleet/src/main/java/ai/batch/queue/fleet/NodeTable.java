package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The fleet's nodes as a dashboard shows them: state, heartbeat age (database clock), epoch, items leased, and each
 * slot's models (served, held) and lanes. Published by every node to its own EventAdmin every two seconds as
 * {@value #TOPIC}, with the table as JSON in {@code json}.
 */
final class NodeTable {

    /** The topic of the nodes table. */
    static final String TOPIC = "ai_batch/fleet_nodes";

    private NodeTable() {
    }

    static List<Map<String, Object>> read(DataSource dataSource) throws SQLException {
        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement("SELECT n.node_id, CASE WHEN n.dead_at IS NOT NULL "
                    + "THEN 'dead' WHEN n.stopped_at IS NOT NULL THEN 'stopped' ELSE 'alive' END, "
                    + "(extract(epoch FROM now() - n.heartbeat_at) * 1000)::bigint, n.epoch, "
                    + "(SELECT count(*) FROM batch_fleet_items i WHERE i.lease_owner = n.node_id AND i.status = 'RUNNING') "
                    + "FROM batch_fleet_nodes n ORDER BY n.node_id");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Map<String, Object> node = new LinkedHashMap<>();
                    node.put("node", rows.getString(1));
                    node.put("state", rows.getString(2));
                    node.put("heartbeatAgeMs", rows.getLong(3));
                    node.put("epoch", rows.getLong(4));
                    node.put("inFlight", rows.getLong(5));
                    node.put("slots", new ArrayList<Map<String, Object>>());
                    nodes.put(rows.getString(1), node);
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT node_id, slot, serves, holds, capacity "
                    + "FROM batch_fleet_slots ORDER BY node_id, slot");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Map<String, Object> node = nodes.get(rows.getString(1));
                    if (node == null) {
                        continue;
                    }
                    Map<String, Object> slot = new LinkedHashMap<>();
                    slot.put("slot", rows.getString(2));
                    slot.put("serves", List.of((String[]) rows.getArray(3).getArray()));
                    slot.put("holds", List.of((String[]) rows.getArray(4).getArray()));
                    slot.put("lanes", rows.getInt(5));
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> slots = (List<Map<String, Object>>) node.get("slots");
                    slots.add(slot);
                }
            }
        }
        return new ArrayList<>(nodes.values());
    }

    /** The event of the table, as this node publishes it to its own subscribers. */
    static FleetEvent event(String node, List<Map<String, Object>> table) {
        return new FleetEvent(0, node, TOPIC, Map.of("json", Outbox.toJson(Map.of("nodes", table)), "nodes", table.size()));
    }
}

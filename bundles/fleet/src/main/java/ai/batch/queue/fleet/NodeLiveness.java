package ai.batch.queue.fleet;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Nodes and their leases, on the database clock only ({@code now()}): a node joins with a new epoch, beats,
 * and is declared dead by any live node's reaper once its last beat is older than {@code deadAfter}; the dead
 * node's running items go back to pending with an {@code item_requeued} event. A graceful stop releases the
 * node's leases first; the caller stops beating last.
 */
final class NodeLiveness {

    private static final long REAPER_LOCK = 0x62617463687270L; // "batchrp"

    private final DataSource dataSource;

    NodeLiveness(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Joins (or re-joins) the fleet. Items still leased to an earlier run of this node, which died before the
     * reaper saw it, go back to pending.
     *
     * @return the node's new epoch
     */
    long join(String node, String version) throws SQLException {
        return Sql.inTransaction(dataSource, connection -> {
            long epoch;
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO batch_fleet_nodes (node_id, version) "
                    + "VALUES (?, ?) ON CONFLICT (node_id) DO UPDATE SET epoch = batch_fleet_nodes.epoch + 1, "
                    + "started_at = now(), heartbeat_at = now(), stopped_at = NULL, dead_at = NULL, version = EXCLUDED.version "
                    + "RETURNING epoch")) {
                upsert.setString(1, node);
                upsert.setString(2, version);
                try (ResultSet row = upsert.executeQuery()) {
                    row.next();
                    epoch = row.getLong(1);
                }
            }
            requeue(connection, List.of(node), node, "node restarted", false);
            return epoch;
        });
    }

    /** @return whether the node is still alive in this epoch (false: it was reaped or stopped; it is fenced) */
    boolean beat(String node, long epoch) throws SQLException {
        return Sql.inTransaction(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE batch_fleet_nodes SET heartbeat_at = now() "
                    + "WHERE node_id = ? AND epoch = ? AND dead_at IS NULL AND stopped_at IS NULL")) {
                update.setString(1, node);
                update.setLong(2, epoch);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** What one reaper pass did. */
    record Reaped(List<String> nodes, int itemsRequeued) {
    }

    /**
     * Declares dead every node whose last beat is older than {@code deadAfter} and requeues the running items of
     * every dead node. Only one reaper works at a time across the fleet; the others return at once with nothing.
     * It never waits on a row: a node in the middle of a transaction (its row or its items locked, as by a claim
     * or a settlement that froze with it) is passed over this time; the database ends such a transaction after
     * {@code idle_in_transaction_session_timeout} (the fleet component sets it), and a later pass takes the rest.
     */
    Reaped reap(String reaperNode, Duration deadAfter) throws SQLException {
        return Sql.inTransaction(dataSource, connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, REAPER_LOCK);
                try (ResultSet row = lock.executeQuery()) {
                    row.next();
                    if (!row.getBoolean(1)) {
                        return new Reaped(List.of(), 0);
                    }
                }
            }
            List<String> dead = new ArrayList<>();
            try (PreparedStatement mark = connection.prepareStatement("UPDATE batch_fleet_nodes SET dead_at = now(), "
                    + "epoch = epoch + 1 WHERE node_id IN (SELECT node_id FROM batch_fleet_nodes WHERE dead_at IS NULL "
                    + "AND stopped_at IS NULL AND heartbeat_at < now() - ? * interval '1 millisecond' "
                    + "FOR UPDATE SKIP LOCKED) RETURNING node_id")) {
                mark.setLong(1, deadAfter.toMillis());
                try (ResultSet rows = mark.executeQuery()) {
                    while (rows.next()) {
                        dead.add(rows.getString(1));
                    }
                }
            }
            if (!dead.isEmpty()) {
                deleteSlots(connection, dead);
            }
            List<String> holding = new ArrayList<>(dead);
            try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT i.lease_owner FROM "
                    + "batch_fleet_items i JOIN batch_fleet_nodes n ON n.node_id = i.lease_owner "
                    + "WHERE n.dead_at IS NOT NULL AND i.status = 'RUNNING'");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (!holding.contains(rows.getString(1))) {
                        holding.add(rows.getString(1)); // declared dead earlier, its items locked then
                    }
                }
            }
            return new Reaped(dead, holding.isEmpty() ? 0 : requeue(connection, holding, reaperNode, "node dead", true));
        });
    }

    /**
     * A graceful stop: the node's running items go back to pending (their calls are abandoned), its slots are
     * removed and it is marked stopped, all fenced by its epoch.
     *
     * @return the items released
     */
    int leave(String node, long epoch) throws SQLException {
        return Sql.inTransaction(dataSource, connection -> {
            try (PreparedStatement stop = connection.prepareStatement("UPDATE batch_fleet_nodes SET stopped_at = now() "
                    + "WHERE node_id = ? AND epoch = ? AND dead_at IS NULL AND stopped_at IS NULL")) {
                stop.setString(1, node);
                stop.setLong(2, epoch);
                if (stop.executeUpdate() == 0) {
                    return 0; // reaped already: the reaper released its items
                }
            }
            deleteSlots(connection, List.of(node));
            return requeue(connection, List.of(node), node, "node stopped", false);
        });
    }

    /**
     * Throws {@link FencedException} unless the node is alive in this epoch; locks its row for share until commit,
     * so the reaper cannot declare it dead meanwhile.
     *
     * @return whether the fleet is paused
     */
    static boolean checkAlive(Connection connection, String node, long epoch) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT coalesce((SELECT value FROM batch_fleet_flags "
                + "WHERE name = 'paused'), false) FROM batch_fleet_nodes WHERE node_id = ? AND epoch = ? "
                + "AND dead_at IS NULL AND stopped_at IS NULL FOR SHARE OF batch_fleet_nodes")) {
            select.setString(1, node);
            select.setLong(2, epoch);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new FencedException(node, epoch);
                }
                return row.getBoolean(1);
            }
        }
    }

    private static void deleteSlots(Connection connection, List<String> nodes) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM batch_fleet_slots WHERE node_id = ANY (?)")) {
            delete.setArray(1, textArray(connection, nodes));
            delete.executeUpdate();
        }
    }

    /** @param skipLocked whether items locked by a transaction still open are left for a later pass */
    private static int requeue(Connection connection, List<String> owners, String writer, String reason,
            boolean skipLocked) throws SQLException {
        List<FleetEvent> events = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("WITH leased AS (SELECT job_id, item_id, lease_owner "
                + "FROM batch_fleet_items WHERE lease_owner = ANY (?) AND status = 'RUNNING' FOR UPDATE"
                + (skipLocked ? " SKIP LOCKED) " : ") ")
                + "UPDATE batch_fleet_items i SET status = 'PENDING', lease_owner = NULL, leased_at = NULL FROM leased "
                + "WHERE i.job_id = leased.job_id AND i.item_id = leased.item_id "
                + "RETURNING i.job_id, i.item_id, leased.lease_owner")) {
            update.setArray(1, textArray(connection, owners));
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    events.add(FleetPayloads.itemRequeued(rows.getString(1), rows.getString(2), rows.getString(3), reason));
                }
            }
        }
        Outbox.write(connection, writer, events);
        return events.size();
    }

    static Array textArray(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}

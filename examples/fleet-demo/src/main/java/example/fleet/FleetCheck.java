package example.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fleet example reads back from the database and the nodes' event logs once the work is done: items
 * recorded, items leased more than once, items requeued, and whether each node saw the fleet's events once and
 * in order.
 */
final class FleetCheck {

    private final String url;

    FleetCheck(String url) {
        this.url = url;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    long single(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    /** @return a value, or -1 while the database cannot be asked (it may be restarting) */
    long quietly(String sql) {
        try {
            return single(sql);
        } catch (SQLException e) {
            return -1;
        }
    }

    long completedItems() {
        return quietly("SELECT count(*) FROM batch_fleet_items WHERE status = 'COMPLETED'");
    }

    long totalItems() {
        return quietly("SELECT count(*) FROM batch_fleet_items");
    }

    long unfinishedJobs() {
        return quietly("SELECT count(*) FROM batch_fleet_jobs WHERE status IN ('QUEUED', 'RUNNING')");
    }

    long leasedTo(String node) {
        return quietly("SELECT count(*) FROM batch_fleet_items WHERE status = 'RUNNING' AND lease_owner = '" + node + "'");
    }

    boolean declaredDead(String node) {
        return quietly("SELECT count(*) FROM batch_fleet_nodes WHERE dead_at IS NOT NULL AND node_id = '" + node + "'") > 0;
    }

    /** @return every item's {@code item_progress} count: 1 each when every outcome was recorded exactly once */
    Map<String, Long> progressPerItem() throws SQLException {
        return counts("SELECT props->>'jobId' || '/' || (props->>'itemId'), count(*) FROM batch_fleet_outbox "
                + "WHERE topic = 'ai_batch/item_progress' GROUP BY 1");
    }

    /** @return how many times items were leased beyond their first lease: the runs that were repeated */
    long repeatedLeases() throws SQLException {
        return single("SELECT count(*) - count(DISTINCT (props->>'jobId') || '/' || (props->>'itemId')) "
                + "FROM batch_fleet_outbox WHERE topic = 'ai_batch/item_started'");
    }

    /** @return items recorded per slot ({@code node/slot}) */
    Map<String, Long> itemsBySlot() throws SQLException {
        return counts("SELECT props->>'slot', count(*) FROM batch_fleet_outbox WHERE topic = 'ai_batch/item_progress' "
                + "GROUP BY 1 ORDER BY 1");
    }

    /** @return requeued items per reason and node ({@code node dead: node-2}) */
    Map<String, Long> requeued() throws SQLException {
        return counts("SELECT (props->>'reason') || ': ' || (props->>'fromNode'), count(*) FROM batch_fleet_outbox "
                + "WHERE topic = 'ai_batch/item_requeued' GROUP BY 1 ORDER BY 1");
    }

    private Map<String, Long> counts(String sql) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                counts.put(r.getString(1), r.getLong(2));
            }
        }
        return counts;
    }

    /**
     * Checks one node's event log against the outbox: sequence numbers strictly rising (each event once, in
     * order), and, from the first it saw on, every event of the outbox.
     *
     * @return problems found, empty when none
     */
    List<String> eventLog(String node, Path log) throws IOException, SQLException {
        List<String> problems = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.isBlank()) {
                seqs.add(Long.parseLong(line.substring(0, line.indexOf(' '))));
            }
        }
        for (int i = 1; i < seqs.size(); i++) {
            if (seqs.get(i) <= seqs.get(i - 1)) {
                problems.add(node + " saw seq " + seqs.get(i) + " after " + seqs.get(i - 1));
            }
        }
        if (!seqs.isEmpty()) {
            long missing = single("SELECT count(*) FROM batch_fleet_outbox WHERE seq BETWEEN " + seqs.get(0) + " AND "
                    + seqs.get(seqs.size() - 1)) - seqs.size();
            if (missing != 0) {
                problems.add(node + " missed " + missing + " events between seq " + seqs.get(0) + " and "
                        + seqs.get(seqs.size() - 1));
            }
        }
        return problems;
    }
}

package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The common claim without reading the whole queue: a slot that holds a model with work stays on it, as the claim
 * rule says, unless a job has waited past the aging limit for a model no live slot holds or loads (then the rule
 * decides in full, over every model's work). What it reads is bounded by the open jobs, not by the pending items.
 */
final class StayClaim {

    private StayClaim() {
    }

    /**
     * Where a slot stays: the model, its first job with items free, whether that job is still queued, and the
     * model's learned item time ({@code NaN} when none is learned).
     */
    record Stay(String model, String jobId, boolean queued, double itemMs) {
    }

    /** @return where the slot stays, or {@code null} when the full rule must decide */
    static Stay find(Connection connection, String node, String slot, Duration maxWait) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("WITH me AS (SELECT holds FROM batch_fleet_slots "
                + "WHERE node_id = ? AND slot = ?), aged AS (SELECT 1 FROM batch_fleet_jobs j "
                + "WHERE j.status IN ('QUEUED', 'RUNNING') AND j.created_at < now() - ? * interval '1 millisecond' "
                + "AND NOT EXISTS (SELECT 1 FROM batch_fleet_slots s JOIN batch_fleet_nodes n USING (node_id) "
                + "WHERE n.dead_at IS NULL AND n.stopped_at IS NULL "
                + "AND (j.resource_key = ANY (s.holds) OR j.resource_key = s.loading)) LIMIT 1) "
                + "SELECT j.resource_key, j.job_id, j.status = 'QUEUED', (SELECT sum(t.mean_ms * t.samples) / sum(t.samples) "
                + "FROM batch_fleet_timings t WHERE t.resource_key = j.resource_key) FROM batch_fleet_jobs j, me "
                + "WHERE NOT EXISTS (SELECT 1 FROM aged) AND j.resource_key = ANY (me.holds) "
                + "AND j.status IN ('QUEUED', 'RUNNING') AND EXISTS (SELECT 1 FROM batch_fleet_items i "
                + "WHERE i.job_id = j.job_id AND i.status = 'PENDING' AND (i.not_before IS NULL OR i.not_before <= now())) "
                + "ORDER BY j.priority_rank DESC, j.plan_seq LIMIT 1")) {
            select.setString(1, node);
            select.setString(2, slot);
            select.setLong(3, maxWait.toMillis());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                double itemMs = row.getDouble(4);
                if (row.wasNull()) {
                    itemMs = Double.NaN; // nothing learned yet
                }
                return new Stay(row.getString(1), row.getString(2), row.getBoolean(3), itemMs);
            }
        }
    }
}

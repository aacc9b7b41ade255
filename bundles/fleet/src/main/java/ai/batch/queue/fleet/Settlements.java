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

import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJobStatus;

/**
 * Records the outcomes of a micro-batch in one transaction, each fenced by its lease: an outcome is written only
 * while its item is still RUNNING, leased to this node, under the attempt it was claimed with. Anything else (the
 * node was reaped and the item ran elsewhere, or the item was cancelled) is refused and reported back. Each job's
 * row is locked first, so its {@code item_progress} events count {@code completed} up by one in commit order; a
 * job whose last item settles completes in the same transaction with its {@code job_completed} event.
 */
final class Settlements {

    private final DataSource dataSource;

    Settlements(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What a settlement recorded and what it refused. */
    record Settled(List<Outcome> recorded, List<Outcome> refused, List<String> jobsCompleted) {
    }

    Settled settle(String node, String slotId, List<Outcome> outcomes) throws SQLException {
        Map<String, List<Outcome>> byJob = new LinkedHashMap<>();
        outcomes.stream().sorted((a, b) -> a.item().jobId().compareTo(b.item().jobId()))
                .forEach(o -> byJob.computeIfAbsent(o.item().jobId(), k -> new ArrayList<>()).add(o));
        return Sql.inTransaction(dataSource, connection -> {
            List<Outcome> recorded = new ArrayList<>();
            List<Outcome> refused = new ArrayList<>();
            List<String> completed = new ArrayList<>();
            List<FleetEvent> events = new ArrayList<>();
            for (Map.Entry<String, List<Outcome>> job : byJob.entrySet()) {
                if (!lockJob(connection, job.getKey())) {
                    refused.addAll(job.getValue()); // purged meanwhile
                    continue;
                }
                List<Outcome> finals = new ArrayList<>();
                for (Outcome outcome : job.getValue()) {
                    if (!write(connection, node, outcome)) {
                        refused.add(outcome);
                        continue;
                    }
                    recorded.add(outcome);
                    if (outcome.status() == BatchItemStatus.PENDING) {
                        events.add(FleetPayloads.itemRetry(job.getKey(), outcome.item().itemId(), slotId,
                                outcome.error(), outcome.item().attempt()));
                    } else {
                        finals.add(outcome);
                    }
                }
                progress(connection, job.getKey(), slotId, finals, events);
                Timings.record(connection, finals);
                if (completeIfDone(connection, job.getKey(), events)) {
                    completed.add(job.getKey());
                }
            }
            Outbox.write(connection, node, events);
            return new Settled(recorded, refused, completed);
        });
    }

    /**
     * Gives leased items back without an outcome (their slot stopped), fenced like any result; each goes back to
     * pending with an {@code item_requeued} event.
     *
     * @return the items released
     */
    int release(String node, List<ClaimedItem> items, String reason) throws SQLException {
        return Sql.inTransaction(dataSource, connection -> {
            List<FleetEvent> events = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement("UPDATE batch_fleet_items SET status = 'PENDING', "
                    + "lease_owner = NULL, leased_at = NULL WHERE job_id = ? AND item_id = ? AND lease_owner = ? "
                    + "AND attempt = ? AND status = 'RUNNING'")) {
                for (ClaimedItem item : items) {
                    update.setString(1, item.jobId());
                    update.setString(2, item.itemId());
                    update.setString(3, node);
                    update.setInt(4, item.attempt());
                    if (update.executeUpdate() == 1) {
                        events.add(FleetPayloads.itemRequeued(item.jobId(), item.itemId(), node, reason));
                    }
                }
            }
            Outbox.write(connection, node, events);
            return events.size();
        });
    }

    private static boolean lockJob(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT 1 FROM batch_fleet_jobs WHERE job_id = ? FOR UPDATE")) {
            lock.setString(1, jobId);
            try (ResultSet row = lock.executeQuery()) {
                return row.next();
            }
        }
    }

    private static boolean write(Connection connection, String node, Outcome outcome) throws SQLException {
        boolean retry = outcome.status() == BatchItemStatus.PENDING;
        String sql = retry
                ? "UPDATE batch_fleet_items SET status = 'PENDING', error = ?, lease_owner = NULL, leased_at = NULL, "
                        + "not_before = now() + ? * interval '1 millisecond' "
                        + "WHERE job_id = ? AND item_id = ? AND lease_owner = ? AND attempt = ? AND status = 'RUNNING'"
                : "UPDATE batch_fleet_items SET status = ?, error = ?, duration_ms = ?, output = ?, lease_owner = NULL, "
                        + "leased_at = NULL WHERE job_id = ? AND item_id = ? AND lease_owner = ? AND attempt = ? "
                        + "AND status = 'RUNNING'";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            int i = 1;
            if (retry) {
                update.setString(i++, outcome.error());
                update.setLong(i++, outcome.retryAfterMs());
            } else {
                update.setString(i++, outcome.status().name());
                update.setString(i++, outcome.error());
                update.setObject(i++, outcome.durationMs());
                update.setString(i++, outcome.output());
            }
            update.setString(i++, outcome.item().jobId());
            update.setString(i++, outcome.item().itemId());
            update.setString(i++, node);
            update.setInt(i, outcome.item().attempt());
            return update.executeUpdate() == 1;
        }
    }

    private static void progress(Connection connection, String jobId, String slotId, List<Outcome> finals,
            List<FleetEvent> events) throws SQLException {
        if (finals.isEmpty()) {
            return;
        }
        int[] counts = counts(connection, jobId);
        int completed = counts[0] - finals.size();
        for (Outcome outcome : finals) {
            completed++;
            events.add(FleetPayloads.itemProgress(jobId, outcome.item().itemId(), slotId, outcome.status().wireName(),
                    completed, counts[1], outcome.error(), outcome.durationMs()));
        }
    }

    /** @return the job's items in a final state, and all its items */
    private static int[] counts(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FILTER (WHERE status IN "
                + "('COMPLETED', 'FAILED', 'SKIPPED', 'CANCELLED')), count(*) FROM batch_fleet_items WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new int[] {row.getInt(1), row.getInt(2)};
            }
        }
    }

    /** Completes a running job none of whose items is pending or running; returns whether it did. */
    static boolean completeIfDone(Connection connection, String jobId, List<FleetEvent> events) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT j.resource_key, j.operation, count(*), "
                + "count(*) FILTER (WHERE i.status = 'COMPLETED'), count(*) FILTER (WHERE i.status = 'FAILED'), "
                + "count(*) FILTER (WHERE i.status IN ('SKIPPED', 'CANCELLED')), "
                + "count(*) FILTER (WHERE i.status IN ('PENDING', 'RUNNING')), coalesce(sum(i.duration_ms), 0) "
                + "FROM batch_fleet_jobs j JOIN batch_fleet_items i USING (job_id) WHERE j.job_id = ? AND j.status = 'RUNNING' "
                + "GROUP BY j.resource_key, j.operation")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next() || row.getInt(7) > 0) {
                    return false;
                }
                int succeeded = row.getInt(4);
                int failed = row.getInt(5);
                long totalMs = row.getLong(8);
                BatchJobStatus status = failed > 0 ? BatchJobStatus.COMPLETED_WITH_ERRORS : BatchJobStatus.COMPLETED;
                try (PreparedStatement update = connection.prepareStatement("UPDATE batch_fleet_jobs SET status = ?, "
                        + "completed_at = now() WHERE job_id = ?")) {
                    update.setString(1, status.name());
                    update.setString(2, jobId);
                    update.executeUpdate();
                }
                long avg = succeeded + failed == 0 ? 0 : totalMs / (succeeded + failed);
                events.add(FleetPayloads.jobCompleted(jobId, row.getString(1), row.getString(2), status.wireName(),
                        row.getInt(3), succeeded, failed, row.getInt(6), totalMs, avg));
                return true;
            }
        }
    }
}

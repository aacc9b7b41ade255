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
                boolean[] written = write(connection, node, job.getValue());
                List<Outcome> finals = new ArrayList<>();
                for (int i = 0; i < written.length; i++) {
                    Outcome outcome = job.getValue().get(i);
                    if (!written[i]) {
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
                Timings.record(connection, finals);
                int[] counts = closed(connection, job.getKey(), finals.size());
                progress(job.getKey(), slotId, finals, counts, events);
                if (counts[2] == 0 && completeIfDone(connection, job.getKey(), events)) {
                    completed.add(job.getKey());
                }
            }
            Outbox.write(connection, node, events, false); // the node's notifier wakes the relays
            forgetCancelled(connection, node, refused);
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

    /** Cancelled items whose late result was refused are no longer this node's to stop. */
    private static void forgetCancelled(Connection connection, String node, List<Outcome> refused) throws SQLException {
        if (refused.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE batch_fleet_items SET lease_owner = NULL, "
                + "leased_at = NULL WHERE job_id = ? AND item_id = ? AND lease_owner = ? AND status = 'CANCELLED'")) {
            for (Outcome outcome : refused) {
                update.setString(1, outcome.item().jobId());
                update.setString(2, outcome.item().itemId());
                update.setString(3, node);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static boolean lockJob(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT 1 FROM batch_fleet_jobs WHERE job_id = ? FOR UPDATE")) {
            lock.setString(1, jobId);
            try (ResultSet row = lock.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Writes each outcome while its lease holds, in two batched statements; returns which were written. */
    private static boolean[] write(Connection connection, String node, List<Outcome> outcomes) throws SQLException {
        boolean[] written = new boolean[outcomes.size()];
        try (PreparedStatement finals = connection.prepareStatement("UPDATE batch_fleet_items SET status = ?, error = ?, "
                + "duration_ms = ?, output = ?, lease_owner = NULL, leased_at = NULL WHERE job_id = ? AND item_id = ? "
                + "AND lease_owner = ? AND attempt = ? AND status = 'RUNNING'");
                PreparedStatement retries = connection.prepareStatement("UPDATE batch_fleet_items SET status = 'PENDING', "
                        + "error = ?, lease_owner = NULL, leased_at = NULL, not_before = now() + ? * interval '1 millisecond' "
                        + "WHERE job_id = ? AND item_id = ? AND lease_owner = ? AND attempt = ? AND status = 'RUNNING'")) {
            List<Integer> finalIndexes = new ArrayList<>();
            List<Integer> retryIndexes = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                Outcome outcome = outcomes.get(i);
                PreparedStatement update;
                int p = 1;
                if (outcome.status() == BatchItemStatus.PENDING) {
                    update = retries;
                    update.setString(p++, outcome.error());
                    update.setLong(p++, outcome.retryAfterMs());
                    retryIndexes.add(i);
                } else {
                    update = finals;
                    update.setString(p++, outcome.status().name());
                    update.setString(p++, outcome.error());
                    update.setObject(p++, outcome.durationMs());
                    update.setString(p++, outcome.output());
                    finalIndexes.add(i);
                }
                update.setString(p++, outcome.item().jobId());
                update.setString(p++, outcome.item().itemId());
                update.setString(p++, node);
                update.setInt(p, outcome.item().attempt());
                update.addBatch();
            }
            mark(finalIndexes.isEmpty() ? new int[0] : finals.executeBatch(), finalIndexes, written);
            mark(retryIndexes.isEmpty() ? new int[0] : retries.executeBatch(), retryIndexes, written);
        }
        return written;
    }

    private static void mark(int[] counts, List<Integer> indexes, boolean[] written) {
        for (int i = 0; i < counts.length; i++) {
            written[indexes.get(i)] = counts[i] == 1;
        }
    }

    private static void progress(String jobId, String slotId, List<Outcome> finals, int[] counts,
            List<FleetEvent> events) {
        int completed = counts[0] - finals.size();
        for (Outcome outcome : finals) {
            completed++;
            events.add(FleetPayloads.itemProgress(jobId, outcome.item().itemId(), slotId, outcome.status().wireName(),
                    completed, counts[1], outcome.error(), outcome.durationMs()));
        }
    }

    /**
     * Counts items of the job (whose row the caller has locked) that reached a final state.
     *
     * @return the job's items in a final state, all its items, and those still open (pending or running)
     */
    static int[] closed(Connection connection, String jobId, int finals) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE batch_fleet_jobs SET open_items = "
                + "open_items - ? WHERE job_id = ? RETURNING total_items, open_items")) {
            update.setInt(1, finals);
            update.setString(2, jobId);
            try (ResultSet row = update.executeQuery()) {
                row.next();
                int total = row.getInt(1);
                int open = row.getInt(2);
                return new int[] {total - open, total, open};
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

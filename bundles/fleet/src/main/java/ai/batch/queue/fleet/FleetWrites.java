package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;

/**
 * The contract's state changes in fleet mode, each in the caller's transaction: the job's row is locked first,
 * every check runs before anything is written (a refused call changes nothing), and the change writes its
 * events to the outbox in the same transaction.
 */
final class FleetWrites {

    private FleetWrites() {
    }

    /** A locked job row. */
    record Job(String id, BatchJobStatus status, String resourceKey, String operation, int total) {
        boolean open() {
            return status == BatchJobStatus.QUEUED || status == BatchJobStatus.RUNNING;
        }
    }

    static Job lock(Connection c, String jobId) throws SQLException {
        Objects.requireNonNull(jobId, "jobId");
        try (PreparedStatement select = c.prepareStatement("SELECT status, resource_key, operation, total_items "
                + "FROM batch_fleet_jobs WHERE job_id = ? FOR UPDATE")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new NoSuchElementException("Unknown job id: " + jobId);
                }
                return new Job(jobId, BatchJobStatus.valueOf(row.getString(1)), row.getString(2), row.getString(3), row.getInt(4));
            }
        }
    }

    private static BatchItemStatus itemStatus(Connection c, Job job, String itemId) throws SQLException {
        Objects.requireNonNull(itemId, "itemId");
        try (PreparedStatement select = c.prepareStatement(
                "SELECT status FROM batch_fleet_items WHERE job_id = ? AND item_id = ? FOR UPDATE")) {
            select.setString(1, job.id());
            select.setString(2, itemId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new NoSuchElementException("Unknown item id " + itemId + " in job " + job.id());
                }
                return BatchItemStatus.valueOf(row.getString(1));
            }
        }
    }

    static void markRunning(Connection c, String node, String jobId) throws SQLException {
        Job job = lock(c, jobId);
        if (job.status() != BatchJobStatus.QUEUED) {
            throw new IllegalStateException("Job " + jobId + " is " + job.status() + ", not QUEUED; it cannot be marked RUNNING");
        }
        update(c, "UPDATE batch_fleet_jobs SET status = 'RUNNING', started_at = now() WHERE job_id = ?", jobId);
        Outbox.write(c, node, List.of(FleetPayloads.jobStarted(jobId, job.resourceKey(), job.operation(), job.total())));
    }

    static void updateItem(Connection c, String node, String jobId, String itemId, BatchItemStatus status, String error,
            Long durationMs, String output) throws SQLException {
        Job job = lock(c, jobId);
        BatchItemStatus from = itemStatus(c, job, itemId);
        if (from == BatchItemStatus.CANCELLED) {
            return; // cancellation wins
        }
        Objects.requireNonNull(status, "status");
        if (!job.open()) {
            throw new IllegalStateException("Job " + jobId + " is " + job.status() + "; items change only while it is QUEUED or RUNNING");
        }
        boolean allowed = switch (status) {
            case PENDING -> false;
            case RUNNING -> from == BatchItemStatus.PENDING;
            case COMPLETED, FAILED, SKIPPED, CANCELLED -> from == BatchItemStatus.PENDING || from == BatchItemStatus.RUNNING;
        };
        if (!allowed) {
            throw new IllegalStateException("Item " + itemId + " of job " + jobId + " cannot go from " + from + " to " + status);
        }
        if (durationMs != null && durationMs < 0) {
            throw new IllegalArgumentException("Item " + itemId + ": negative duration " + durationMs);
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE batch_fleet_items SET status = ?, error = ?, "
                + "duration_ms = ?, output = ?, lease_owner = NULL WHERE job_id = ? AND item_id = ?")) {
            update.setString(1, status.name());
            update.setString(2, error);
            update.setObject(3, durationMs);
            update.setString(4, output);
            update.setString(5, jobId);
            update.setString(6, itemId);
            update.executeUpdate();
        }
        if (status == BatchItemStatus.RUNNING) {
            return;
        }
        ClaimedItem sample = new ClaimedItem(jobId, itemId, 0, null, null, bucket(c, jobId, itemId), job.resourceKey(),
                job.operation(), null);
        if (status == BatchItemStatus.COMPLETED) {
            Timings.record(c, List.of(Outcome.completed(sample, durationMs == null ? 0 : durationMs, output)));
        }
        int completed = Settlements.closed(c, jobId, 1)[0];
        if (job.status() == BatchJobStatus.RUNNING) {
            Outbox.write(c, node, List.of(FleetPayloads.itemProgress(jobId, itemId, null, status.wireName(), completed,
                    job.total(), error, durationMs)));
        }
    }

    static BatchCompletionSummary markCompleted(Connection c, String node, String jobId) throws SQLException {
        Job job = lock(c, jobId);
        if (job.status() == BatchJobStatus.CANCELLED) {
            return BatchCompletionSummary.of(FleetJobs.read(c, jobId).orElseThrow());
        }
        if (job.status() != BatchJobStatus.RUNNING) {
            throw new IllegalStateException("Job " + jobId + " is " + job.status() + "; only a RUNNING or CANCELLED job can be marked completed");
        }
        update(c, "UPDATE batch_fleet_jobs j SET completed_at = now(), status = CASE WHEN EXISTS (SELECT 1 FROM "
                + "batch_fleet_items i WHERE i.job_id = j.job_id AND i.status = 'FAILED') THEN 'COMPLETED_WITH_ERRORS' "
                + "ELSE 'COMPLETED' END WHERE j.job_id = ?", jobId);
        BatchJob<Object> done = FleetJobs.read(c, jobId).orElseThrow();
        BatchCompletionSummary summary = BatchCompletionSummary.of(done);
        Outbox.write(c, node, List.of(completed(summary, done.status())));
        return summary;
    }

    static FleetEvent completed(BatchCompletionSummary s, BatchJobStatus status) {
        return FleetPayloads.jobCompleted(s.jobId(), s.resourceKey(), s.operation(), status.wireName(), s.total(),
                s.succeeded(), s.failed(), s.skipped(), s.totalDurationMs(), s.avgDurationMs());
    }

    static void cancelJob(Connection c, String node, String jobId) throws SQLException {
        Job job = lock(c, jobId);
        if (job.status() == BatchJobStatus.CANCELLED) {
            return;
        }
        if (!job.open()) {
            throw new IllegalStateException("Job " + jobId + " is " + job.status() + "; a finished job cannot be cancelled");
        }
        update(c, "UPDATE batch_fleet_items SET status = 'CANCELLED' WHERE job_id = ? AND status IN ('PENDING', 'RUNNING')", jobId);
        update(c, "UPDATE batch_fleet_jobs SET status = 'CANCELLED', completed_at = now(), open_items = 0 WHERE job_id = ?", jobId);
        boolean wasRunning = job.status() == BatchJobStatus.RUNNING;
        List<FleetEvent> events = new ArrayList<>();
        events.add(FleetPayloads.jobCancelled(jobId, job.resourceKey(), job.operation(), job.total(), wasRunning));
        if (wasRunning) {
            events.add(completed(BatchCompletionSummary.of(FleetJobs.read(c, jobId).orElseThrow()), BatchJobStatus.CANCELLED));
        }
        Outbox.write(c, node, events);
    }

    static void cancelItem(Connection c, String node, String jobId, String itemId) throws SQLException {
        Job job = lock(c, jobId);
        BatchItemStatus from = itemStatus(c, job, itemId);
        if (from == BatchItemStatus.CANCELLED) {
            return;
        }
        if (from != BatchItemStatus.PENDING && from != BatchItemStatus.RUNNING) {
            throw new IllegalStateException("Item " + itemId + " of job " + jobId + " is " + from + "; only a PENDING or RUNNING item can be cancelled");
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE batch_fleet_items SET status = 'CANCELLED' WHERE job_id = ? AND item_id = ?")) {
            update.setString(1, jobId);
            update.setString(2, itemId);
            update.executeUpdate();
        }
        int[] counts = Settlements.closed(c, jobId, 1);
        if (job.status() == BatchJobStatus.RUNNING) {
            List<FleetEvent> events = new ArrayList<>();
            events.add(FleetPayloads.itemProgress(jobId, itemId, null, BatchItemStatus.CANCELLED.wireName(), counts[0],
                    counts[1], null, null));
            if (counts[2] == 0) {
                Settlements.completeIfDone(c, jobId, events);
            }
            Outbox.write(c, node, events);
        }
    }

    static void retryFailed(Connection c, String node, String jobId) throws SQLException {
        Job job = lock(c, jobId);
        if (job.open()) {
            throw new IllegalStateException("Job " + jobId + " is " + job.status() + "; only a finished job's failed items can be retried");
        }
        int failed = update(c, "UPDATE batch_fleet_items SET status = 'PENDING', error = NULL, duration_ms = NULL, "
                + "attempt = 0, lease_owner = NULL, not_before = NULL WHERE job_id = ? AND status = 'FAILED'", jobId);
        if (failed == 0) {
            throw new IllegalStateException("Job " + jobId + " has no FAILED items to retry");
        }
        try (PreparedStatement requeue = c.prepareStatement("UPDATE batch_fleet_jobs SET status = 'QUEUED', "
                + "completed_at = NULL, open_items = open_items + ?, "
                + "plan_seq = nextval(pg_get_serial_sequence('batch_fleet_jobs', 'plan_seq')) WHERE job_id = ?")) {
            requeue.setInt(1, failed);
            requeue.setString(2, jobId);
            requeue.executeUpdate();
        }
        Outbox.write(c, node, List.of(FleetPayloads.jobQueued(jobId, job.resourceKey(), job.operation(), job.total(), "retried")));
    }

    static void moveToFront(Connection c, String node, String jobId) throws SQLException {
        Job job = queued(c, jobId, "moved to the front");
        update(c, "UPDATE batch_fleet_jobs SET priority_rank = (SELECT greatest(max(priority_rank), "
                + JobPriority.values().length + ") + 1 FROM batch_fleet_jobs) WHERE job_id = ?", job.id());
        Outbox.write(c, node, List.of(FleetPayloads.jobEvent(BatchEvents.TOPIC_JOB_MOVED, jobId, null, null)));
    }

    static void setPriority(Connection c, String node, String jobId, JobPriority priority) throws SQLException {
        Objects.requireNonNull(priority, "priority");
        Job job = queued(c, jobId, "given another priority");
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE batch_fleet_jobs SET priority = ?, priority_rank = ? WHERE job_id = ?")) {
            update.setString(1, priority.name());
            update.setInt(2, priority.ordinal());
            update.setString(3, job.id());
            update.executeUpdate();
        }
        Outbox.write(c, node, List.of(FleetPayloads.jobEvent(BatchEvents.TOPIC_JOB_PRIORITY_CHANGED, jobId,
                BatchEvents.PRIORITY, priority.wireName())));
    }

    private static Job queued(Connection c, String jobId, String what) throws SQLException {
        Job job = lock(c, jobId);
        if (job.status() != BatchJobStatus.QUEUED) {
            throw new IllegalStateException("Job " + jobId + " is " + job.status() + "; only a QUEUED job can be " + what);
        }
        return job;
    }

    static void purge(Connection c, String node, String jobId) throws SQLException {
        Job job = lock(c, jobId);
        if (job.open()) {
            throw new IllegalStateException("Job " + jobId + " is " + job.status() + "; only a finished job can be purged");
        }
        update(c, "DELETE FROM batch_fleet_jobs WHERE job_id = ?", jobId);
        Outbox.write(c, node, List.of(FleetPayloads.jobEvent(BatchEvents.TOPIC_JOB_PURGED, jobId, null, null)));
    }

    static int purgeFinished(Connection c, String node, Instant finishedBefore) throws SQLException {
        List<FleetEvent> events = new ArrayList<>();
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM batch_fleet_jobs WHERE status NOT IN "
                + "('QUEUED', 'RUNNING') AND completed_at < ? RETURNING job_id")) {
            delete.setTimestamp(1, finishedBefore.isAfter(Instant.parse("9999-01-01T00:00:00Z"))
                    ? Timestamp.from(Instant.parse("9999-01-01T00:00:00Z")) : Timestamp.from(finishedBefore));
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    events.add(FleetPayloads.jobEvent(BatchEvents.TOPIC_JOB_PURGED, rows.getString(1), null, null));
                }
            }
        }
        Outbox.write(c, node, events);
        return events.size();
    }

    /** @return whether the flag changed */
    static boolean setPaused(Connection c, String node, boolean paused) throws SQLException {
        String sql = paused
                ? "INSERT INTO batch_fleet_flags AS f (name, value) VALUES ('paused', true) "
                        + "ON CONFLICT (name) DO UPDATE SET value = true WHERE NOT f.value"
                : "UPDATE batch_fleet_flags SET value = false WHERE name = 'paused' AND value";
        try (PreparedStatement update = c.prepareStatement(sql)) {
            if (update.executeUpdate() == 0) {
                return false;
            }
        }
        Outbox.write(c, node, List.of(FleetPayloads.plain(paused ? BatchEvents.TOPIC_PAUSED : BatchEvents.TOPIC_RESUMED)));
        return true;
    }

    static boolean isPaused(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT value FROM batch_fleet_flags WHERE name = 'paused'");
                ResultSet row = select.executeQuery()) {
            return row.next() && row.getBoolean(1);
        }
    }

    private static ai.batch.queue.SizeBucket bucket(Connection c, String jobId, String itemId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT size_bucket FROM batch_fleet_items WHERE job_id = ? AND item_id = ?")) {
            select.setString(1, jobId);
            select.setString(2, itemId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return ai.batch.queue.SizeBucket.valueOf(row.getString(1));
            }
        }
    }

    private static int update(Connection c, String sql, String jobId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(sql)) {
            update.setString(1, jobId);
            return update.executeUpdate();
        }
    }
}

package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;
import ai.batch.queue.OverwritePolicy;

/**
 * Jobs in the fleet's tables: enqueue (the job, its items and its {@code job_queued} event in one transaction)
 * and snapshots read back as the API's value types. Arguments are checked before anything is written, so a
 * refused job changes nothing.
 */
final class FleetJobs {

    private static final String UNIQUE_VIOLATION = "23505";

    private FleetJobs() {
    }

    /**
     * Checks a job and writes it; returns its id (a new UUID for a blank one).
     *
     * @throws IllegalArgumentException for a bad argument or an id already in use, naming it
     */
    static String enqueue(Connection connection, String node, BatchJob<?> job) throws SQLException {
        Objects.requireNonNull(job, "job");
        List<ItemData.Stored> data = check(job);
        String id = job.id().isBlank() ? UUID.randomUUID().toString() : job.id();
        JobPriority priority = job.priority() == null ? JobPriority.NORMAL : job.priority();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batch_fleet_jobs (job_id, resource_key, "
                + "operation, overwrite_policy, priority, priority_rank, status, total_items, open_items) VALUES (?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, job.resourceKey());
            insert.setString(3, job.operation());
            insert.setString(4, job.overwritePolicy().name());
            insert.setString(5, priority.name());
            insert.setInt(6, priority.ordinal());
            insert.setInt(7, job.items().size());
            insert.setInt(8, job.items().size());
            insert.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new IllegalArgumentException("Job id " + id + " is already in use", e);
            }
            throw e;
        }
        try (PreparedStatement items = connection.prepareStatement("INSERT INTO batch_fleet_items (job_id, item_id, "
                + "position, data, data_type, size_bucket, status) VALUES (?, ?, ?, ?::json, ?, ?, 'PENDING')")) {
            int position = 0;
            for (BatchItem<?> item : job.items()) {
                items.setString(1, id);
                items.setString(2, item.id());
                items.setInt(3, position);
                items.setString(4, data.get(position).json());
                items.setString(5, data.get(position).type());
                items.setString(6, item.sizeBucket().name());
                items.addBatch();
                position++;
            }
            items.executeBatch();
        }
        Outbox.write(connection, node, List.of(FleetPayloads.jobQueued(id, job.resourceKey(), job.operation(),
                job.items().size(), "enqueued")));
        return id;
    }

    private static List<ItemData.Stored> check(BatchJob<?> job) {
        if (job.resourceKey() == null || job.resourceKey().isBlank()) {
            throw new IllegalArgumentException("The job's resource key is blank");
        }
        if (job.operation() == null || job.operation().isBlank()) {
            throw new IllegalArgumentException("The job's operation is blank");
        }
        Objects.requireNonNull(job.overwritePolicy(), "overwritePolicy");
        if (job.items() == null || job.items().isEmpty()) {
            throw new IllegalArgumentException("The job has no items");
        }
        Set<String> ids = new HashSet<>();
        List<ItemData.Stored> data = new ArrayList<>(job.items().size());
        for (BatchItem<?> item : job.items()) {
            Objects.requireNonNull(item, "item");
            if (item.id() == null || item.id().isBlank()) {
                throw new IllegalArgumentException("An item id is blank");
            }
            if (!ids.add(item.id())) {
                throw new IllegalArgumentException("Item id " + item.id() + " appears twice in the job");
            }
            if (item.status() != BatchItemStatus.PENDING) {
                throw new IllegalArgumentException("Item " + item.id() + " is " + item.status() + "; only PENDING items can be enqueued");
            }
            Objects.requireNonNull(item.sizeBucket(), "sizeBucket");
            data.add(ItemData.store(item.id(), item.data()));
        }
        return data;
    }

    /** The job as it stands, or empty for an unknown id. */
    static Optional<BatchJob<Object>> read(Connection connection, String jobId) throws SQLException {
        BatchJob<Object> job = null;
        try (PreparedStatement select = connection.prepareStatement("SELECT resource_key, operation, overwrite_policy, "
                + "priority, status, created_at, started_at, completed_at FROM batch_fleet_jobs WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    job = BatchJob.restore(jobId, row.getString(1), row.getString(2),
                            OverwritePolicy.valueOf(row.getString(3)), items(connection, jobId),
                            BatchJobStatus.valueOf(row.getString(5)), instant(row.getTimestamp(6)),
                            instant(row.getTimestamp(7)), instant(row.getTimestamp(8)), false, null,
                            JobPriority.valueOf(row.getString(4)));
                }
            }
        }
        return Optional.ofNullable(job);
    }

    private static List<BatchItem<Object>> items(Connection connection, String jobId) throws SQLException {
        List<BatchItem<Object>> items = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT item_id, data::text, data_type, size_bucket, "
                + "status, error, duration_ms, output, attempt FROM batch_fleet_items WHERE job_id = ? ORDER BY position")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    items.add(FleetReads.item(row, 1));
                }
            }
        }
        return items;
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

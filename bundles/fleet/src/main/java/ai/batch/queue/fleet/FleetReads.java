package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/**
 * The queue's reads in fleet mode: every job as the API's snapshots, queued jobs in the plan's order (plan rank,
 * then the model that ran last first and the other models by their oldest queued job, then enqueue order), and
 * estimates from the learned times shared by the fleet.
 */
final class FleetReads {

    private FleetReads() {
    }

    /** One job row with what the plan order needs. */
    record JobRow(BatchJob<Object> job, int rank, long planSeq) {
    }

    /** Every job; queued ones in the plan's order, after the others (by creation). */
    static List<JobRow> all(Connection connection) throws SQLException {
        Map<String, List<BatchItem<Object>>> items = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT job_id, item_id, data::text, data_type, "
                + "size_bucket, status, error, duration_ms, output, attempt FROM batch_fleet_items ORDER BY job_id, position");
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                items.computeIfAbsent(row.getString(1), k -> new ArrayList<>()).add(item(row, 2));
            }
        }
        List<JobRow> jobs = new ArrayList<>();
        String lastRun = null;
        try (PreparedStatement select = connection.prepareStatement("SELECT job_id, resource_key, operation, overwrite_policy, "
                + "priority, status, created_at, started_at, completed_at, priority_rank, plan_seq FROM batch_fleet_jobs "
                + "ORDER BY started_at DESC NULLS LAST, created_at");
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                BatchJob<Object> job = BatchJob.restore(row.getString(1), row.getString(2), row.getString(3),
                        OverwritePolicy.valueOf(row.getString(4)), items.getOrDefault(row.getString(1), List.of()),
                        BatchJobStatus.valueOf(row.getString(6)), FleetJobs.instant(row.getTimestamp(7)),
                        FleetJobs.instant(row.getTimestamp(8)), FleetJobs.instant(row.getTimestamp(9)), false, null,
                        JobPriority.valueOf(row.getString(5)));
                if (lastRun == null && job.startedAt() != null) {
                    lastRun = job.resourceKey();
                }
                jobs.add(new JobRow(job, row.getInt(10), row.getLong(11)));
            }
        }
        return planOrder(jobs, lastRun);
    }

    static List<JobRow> planOrder(List<JobRow> jobs, String lastRun) {
        List<JobRow> others = new ArrayList<>();
        List<JobRow> queued = new ArrayList<>();
        for (JobRow row : jobs) {
            (row.job().status() == BatchJobStatus.QUEUED ? queued : others).add(row);
        }
        others.sort(Comparator.comparing((JobRow r) -> r.job().createdAt(), Comparator.nullsLast(Comparator.naturalOrder())));
        Map<String, Long> firstOfModel = new HashMap<>();
        for (JobRow row : queued) {
            firstOfModel.merge(row.rank() + "\u0000" + row.job().resourceKey(), row.planSeq(), Math::min);
        }
        queued.sort(Comparator.comparingInt((JobRow r) -> -r.rank())
                .thenComparingInt(r -> r.job().resourceKey().equals(lastRun) ? 0 : 1)
                .thenComparingLong(r -> firstOfModel.get(r.rank() + "\u0000" + r.job().resourceKey()))
                .thenComparingLong(JobRow::planSeq));
        List<JobRow> ordered = new ArrayList<>(others);
        ordered.addAll(queued);
        return ordered;
    }

    /** An item row as a snapshot; a value this node cannot read is shown, never thrown (the item fails when run). */
    static BatchItem<Object> item(ResultSet row, int first) throws SQLException {
        long duration = row.getLong(first + 6);
        Long durationMs = row.wasNull() ? null : duration;
        Object data;
        try {
            data = ItemData.restore(row.getString(first + 1), row.getString(first + 2));
        } catch (IllegalStateException e) {
            data = row.getString(first + 1);
        }
        SizeBucket bucket = parse(SizeBucket.class, row.getString(first + 3), SizeBucket.UNKNOWN);
        BatchItemStatus status = parse(BatchItemStatus.class, row.getString(first + 4), null);
        String error = row.getString(first + 5);
        if (status == null) {
            error = "Stored status '" + row.getString(first + 4) + "' is unknown to this node";
            status = BatchItemStatus.FAILED;
        }
        return BatchItem.<Object>of(row.getString(first), data, bucket)
                .withState(status, error, durationMs, row.getString(first + 7))
                .withAttempts(row.getInt(first + 8));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, E otherwise) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return otherwise;
        }
    }

    /**
     * When a job is expected to start and finish: the remaining work of the running jobs and of the queued jobs
     * planned before it, shared among the fleet's live slots, then its own work shared among the slots that
     * serve its model.
     */
    static Optional<BatchEstimate> estimate(Connection connection, String jobId) throws SQLException {
        List<JobRow> jobs = all(connection);
        LearnedTimes times = LearnedTimes.read(connection);
        int slots = Math.max(1, liveSlots(connection, null));
        double aheadMs = 0;
        for (JobRow row : jobs) {
            BatchJob<Object> job = row.job();
            long remaining = times.remainingMs(job);
            if (job.id().equals(jobId)) {
                int serving = Math.max(1, Math.min(liveSlots(connection, job.resourceKey()), open(job)));
                Instant now = Instant.now();
                Long own = remaining < 0 ? null : remaining / serving;
                boolean finished = job.status() != BatchJobStatus.QUEUED && job.status() != BatchJobStatus.RUNNING;
                Instant start = finished ? job.startedAt() : job.status() == BatchJobStatus.RUNNING ? job.startedAt()
                        : now.plusMillis(Math.round(aheadMs / slots));
                Instant finish = finished ? job.completedAt() : own == null || start == null ? null
                        : (job.status() == BatchJobStatus.RUNNING ? now : start).plusMillis(own);
                long samples = times.samples(job.resourceKey(), job.operation());
                return Optional.of(BatchEstimate.of(jobId, own, start, finish, samples, Math.min(1.0, samples / 20.0)));
            }
            if (job.status() == BatchJobStatus.RUNNING || job.status() == BatchJobStatus.QUEUED) {
                aheadMs += Math.max(0, remaining);
            }
        }
        return Optional.empty();
    }

    private static int open(BatchJob<?> job) {
        int open = 0;
        for (BatchItem<?> item : job.items()) {
            if (item.status() == BatchItemStatus.PENDING || item.status() == BatchItemStatus.RUNNING) {
                open++;
            }
        }
        return open;
    }

    /** @return the live slots that can run the model, or all live slots for {@code null} */
    static int liveSlots(Connection connection, String model) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM batch_fleet_slots s "
                + "JOIN batch_fleet_nodes n USING (node_id) WHERE n.dead_at IS NULL AND n.stopped_at IS NULL "
                + "AND (?::text IS NULL OR ?::text = ANY (s.serves) OR '*' = ANY (s.serves))")) {
            select.setString(1, model);
            select.setString(2, model);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}

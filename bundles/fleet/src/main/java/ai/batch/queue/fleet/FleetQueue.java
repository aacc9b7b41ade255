package ai.batch.queue.fleet;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import javax.sql.DataSource;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.JobPriority;
import ai.batch.queue.SizeBucket;

/**
 * The {@link BatchQueue} of a fleet node: every call is one short transaction on the fleet's database, so every
 * node (and every dashboard) sees the same queue. Events reach subscribers through each node's outbox relay, not
 * from the calling thread. A call the database does not answer throws {@link FleetUnavailableException} and
 * changes nothing.
 */
final class FleetQueue implements BatchQueue {

    /** One call's work in its transaction. */
    @FunctionalInterface
    private interface Call<T> {
        T run(java.sql.Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final String node;

    FleetQueue(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node;
    }

    private <T> T tx(String what, Call<T> call) {
        try {
            return Sql.inTransaction(dataSource, call::run);
        } catch (SQLException e) {
            throw new FleetUnavailableException(what, e);
        }
    }

    @Override
    public String enqueue(BatchJob<?> job) {
        return tx("enqueue", c -> FleetJobs.enqueue(c, node, job));
    }

    @Override
    public Optional<BatchJob<?>> nextQueued() {
        return tx("nextQueued", c -> FleetReads.all(c).stream().map(FleetReads.JobRow::job)
                .filter(j -> j.status() == BatchJobStatus.QUEUED).<BatchJob<?>>map(j -> j).findFirst());
    }

    @Override
    public void markRunning(String jobId) {
        tx("markRunning", c -> {
            FleetWrites.markRunning(c, node, jobId);
            return null;
        });
    }

    @Override
    public void updateItem(String jobId, String itemId, BatchItemStatus status, String error, Long durationMs) {
        updateItem(jobId, itemId, status, error, durationMs, null);
    }

    @Override
    public void updateItem(String jobId, String itemId, BatchItemStatus status, String error, Long durationMs,
            String output) {
        tx("updateItem", c -> {
            FleetWrites.updateItem(c, node, jobId, itemId, status, error, durationMs, output);
            return null;
        });
    }

    @Override
    public BatchCompletionSummary markCompleted(String jobId) {
        return tx("markCompleted", c -> FleetWrites.markCompleted(c, node, jobId));
    }

    @Override
    public void cancelJob(String jobId) {
        tx("cancelJob", c -> {
            FleetWrites.cancelJob(c, node, jobId);
            return null;
        });
    }

    @Override
    public void cancelItem(String jobId, String itemId) {
        tx("cancelItem", c -> {
            FleetWrites.cancelItem(c, node, jobId, itemId);
            return null;
        });
    }

    @Override
    public void retryFailed(String jobId) {
        tx("retryFailed", c -> {
            FleetWrites.retryFailed(c, node, jobId);
            return null;
        });
    }

    @Override
    public List<BatchJob<?>> listJobs() {
        return tx("listJobs", c -> {
            List<BatchJob<?>> jobs = new ArrayList<>();
            FleetReads.all(c).forEach(row -> jobs.add(row.job()));
            return jobs;
        });
    }

    @Override
    public Optional<BatchJob<?>> getJob(String jobId) {
        if (jobId == null) {
            return Optional.empty();
        }
        return tx("getJob", c -> FleetJobs.read(c, jobId).map(j -> j));
    }

    @Override
    public OptionalLong estimateRemainingMs(String jobId) {
        if (jobId == null) {
            return OptionalLong.empty();
        }
        return tx("estimateRemainingMs", c -> {
            Optional<BatchJob<Object>> job = FleetJobs.read(c, jobId);
            if (job.isEmpty()) {
                return OptionalLong.empty();
            }
            long remaining = LearnedTimes.read(c).remainingMs(job.get());
            return remaining < 0 ? OptionalLong.empty() : OptionalLong.of(remaining);
        });
    }

    @Override
    public long etaSampleCount(String resourceKey, String operation, SizeBucket bucket) {
        return tx("etaSampleCount", c -> LearnedTimes.read(c).samples(resourceKey, operation, bucket));
    }

    @Override
    public Optional<BatchEstimate> estimate(String jobId) {
        if (jobId == null) {
            return Optional.empty();
        }
        return tx("estimate", c -> FleetReads.estimate(c, jobId));
    }

    @Override
    public void pause() {
        tx("pause", c -> FleetWrites.setPaused(c, node, true));
    }

    @Override
    public void resume() {
        tx("resume", c -> FleetWrites.setPaused(c, node, false));
    }

    @Override
    public boolean isPaused() {
        return tx("isPaused", FleetWrites::isPaused);
    }

    @Override
    public void moveToFront(String jobId) {
        tx("moveToFront", c -> {
            FleetWrites.moveToFront(c, node, jobId);
            return null;
        });
    }

    @Override
    public void setPriority(String jobId, JobPriority priority) {
        tx("setPriority", c -> {
            FleetWrites.setPriority(c, node, jobId, priority);
            return null;
        });
    }

    @Override
    public void purge(String jobId) {
        tx("purge", c -> {
            FleetWrites.purge(c, node, jobId);
            return null;
        });
    }

    @Override
    public int purgeFinished(Instant finishedBefore) {
        java.util.Objects.requireNonNull(finishedBefore, "finishedBefore");
        return tx("purgeFinished", c -> FleetWrites.purgeFinished(c, node, finishedBefore));
    }

    @Override
    public boolean hasRunningJob() {
        return tx("hasRunningJob", c -> count(c, "RUNNING") > 0);
    }

    @Override
    public int queuedCount() {
        return tx("queuedCount", c -> count(c, "QUEUED"));
    }

    private static int count(java.sql.Connection c, String status) throws SQLException {
        try (var select = c.prepareStatement("SELECT count(*) FROM batch_fleet_jobs WHERE status = ?")) {
            select.setString(1, status);
            try (var row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}

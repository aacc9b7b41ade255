package ai.batch.queue.impl.core;

import java.time.Clock;
import java.util.Optional;
import java.util.function.BiConsumer;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJobStatus;

/**
 * What the executor and the journal's recovery need beyond the public contract: a job's status without a
 * snapshot, waiting for another attempt, and the class of item data restored as JSON.
 */
abstract class ExecutorSupport extends QueueSteering {

    ExecutorSupport(Clock clock, JobPlanner planner, BiConsumer<String, Throwable> onListenerFailure) {
        super(clock, planner, onListenerFailure);
    }

    /**
     * A job's status without building a snapshot.
     *
     * @param jobId the job
     * @return its status, or empty for an unknown id
     */
    public Optional<BatchJobStatus> jobStatus(String jobId) {
        return read(() -> {
            JobRecord record = jobId == null ? null : jobs.get(jobId);
            return record == null ? Optional.empty() : Optional.of(record.status);
        });
    }

    /**
     * Records that a job's item data was restored from the journal as JSON, because its class ({@code typeName})
     * is not a JDK type; a handler declaring that class converts it.
     */
    public void setRestoredDataType(String jobId, String typeName) {
        write(() -> {
            job(jobId).restoredDataType = typeName;
            return null;
        });
    }

    /** @return the class name of a job's item data still held as JSON after a restore, or empty */
    public Optional<String> restoredDataType(String jobId) {
        return read(() -> {
            JobRecord record = jobId == null ? null : jobs.get(jobId);
            return record == null ? Optional.empty() : Optional.ofNullable(record.restoredDataType);
        });
    }

    /**
     * A running item failed in a way that may pass: it goes back to PENDING, keeping its error and attempt
     * count, for the executor to try again after a backoff.
     *
     * @return {@code false} if the item was cancelled meanwhile
     * @throws IllegalStateException if the item or its job is not RUNNING
     */
    public boolean retryLater(String jobId, String itemId, String error, Long durationMs) {
        return writeUnacknowledged(() -> {
            JobRecord record = job(jobId);
            int index = record.indexOf(itemId);
            BatchItem<Object> item = record.item(index);
            if (item.status() == BatchItemStatus.CANCELLED) {
                return false;
            }
            if (record.status != BatchJobStatus.RUNNING || item.status() != BatchItemStatus.RUNNING) {
                throw new IllegalStateException("retryLater: item '" + itemId + "' of job '" + jobId + "' is "
                        + item.status() + " in a " + record.status + " job; only a RUNNING item can wait for "
                        + "another attempt (to PENDING)");
            }
            log(new Change.RetryScheduled(now(), jobId, itemId, error, durationMs));
            BatchItem<Object> after = record.setItem(index, BatchItemStatus.PENDING, error, durationMs, null);
            record.runningSince.remove(index);
            notify(listener -> listener.itemRetryScheduled(record.id, after));
            return true;
        });
    }
}

package ai.batch.queue.impl.core;

import java.util.Arrays;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJobStatus;

/** The state machine's rules; each violation names the job or item and both states. */
final class Transitions {

    private Transitions() {
    }

    static void requireJob(JobRecord job, String operation, BatchJobStatus... allowed) {
        for (BatchJobStatus status : allowed) {
            if (job.status() == status) {
                return;
            }
        }
        throw new IllegalStateException(operation + ": job '" + job.id() + "' is " + job.status() + ", expected "
                + (allowed.length == 1 ? allowed[0] : "one of " + Arrays.toString(allowed)));
    }

    static void checkUpdate(JobRecord job, BatchItem<?> item, BatchItemStatus to, Long durationMs) {
        if (to == null) {
            throw new NullPointerException("status must not be null (job '" + job.id() + "', item '" + item.id()
                    + "')");
        }
        if (durationMs != null && durationMs < 0) {
            throw new IllegalArgumentException("durationMs must not be negative: " + durationMs + " (job '"
                    + job.id() + "', item '" + item.id() + "')");
        }
        if (job.status() != BatchJobStatus.QUEUED && job.status() != BatchJobStatus.RUNNING) {
            throw new IllegalStateException("updateItem: job '" + job.id() + "' is " + job.status()
                    + ", items change only while it is QUEUED or RUNNING (item '" + item.id() + "' to " + to + ")");
        }
        BatchItemStatus from = item.status();
        boolean allowed = switch (to) {
            case PENDING -> false;
            case RUNNING -> from == BatchItemStatus.PENDING;
            case COMPLETED, FAILED, SKIPPED, CANCELLED -> from == BatchItemStatus.PENDING
                    || from == BatchItemStatus.RUNNING;
        };
        if (!allowed) {
            throw new IllegalStateException("updateItem: item '" + item.id() + "' of job '" + job.id()
                    + "' cannot go from " + from + " to " + to);
        }
    }

    static void checkCancelItem(JobRecord job, BatchItem<?> item) {
        if (item.status().isFinal()) {
            throw new IllegalStateException("cancelItem: item '" + item.id() + "' of job '" + job.id() + "' is "
                    + item.status() + ", only PENDING or RUNNING items can be cancelled (to CANCELLED)");
        }
    }

    static void checkRetry(JobRecord job) {
        if (!job.status().isFinished()) {
            throw new IllegalStateException("retryFailed: job '" + job.id() + "' is " + job.status()
                    + ", only a finished job can be retried (to QUEUED)");
        }
        if (!job.hasFailedItem()) {
            throw new IllegalStateException("retryFailed: job '" + job.id() + "' is " + job.status()
                    + " with no FAILED item, so there is nothing to retry (to QUEUED)");
        }
    }
}

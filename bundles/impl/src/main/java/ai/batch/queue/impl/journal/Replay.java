package ai.batch.queue.impl.journal;

import java.util.ArrayList;
import java.util.List;

import ai.batch.queue.impl.core.Change;
import ai.batch.queue.impl.core.CoreBatchQueue;

/** Applies recorded changes to a queue through its own methods, each at its recorded time. */
final class Replay {

    /**
     * What a replay did.
     *
     * @param applied the records that took effect, in order
     * @param problems one entry per record that could not be applied
     */
    record Result(List<JournalCodec.Decoded> applied, List<String> problems) {
    }

    private Replay() {
    }

    static Result apply(CoreBatchQueue queue, ReplayClock clock, List<JournalCodec.Decoded> records) {
        List<JournalCodec.Decoded> applied = new ArrayList<>(records.size());
        List<String> problems = new ArrayList<>();
        try {
            for (JournalCodec.Decoded record : records) {
                clock.fix(record.change().at());
                try {
                    apply(queue, record.change());
                    if (record.restoredDataType() != null) {
                        Change.Enqueued enqueued = (Change.Enqueued) record.change();
                        queue.setRestoredDataType(enqueued.job().id(), record.restoredDataType());
                    }
                    applied.add(record);
                } catch (RuntimeException e) {
                    problems.add("record " + record.seq() + " (" + record.change().getClass().getSimpleName()
                            + "): " + e.getMessage());
                }
            }
        } finally {
            clock.release();
        }
        return new Result(applied, problems);
    }

    private static void apply(CoreBatchQueue queue, Change change) {
        if (change instanceof Change.Enqueued enqueued) {
            queue.enqueue(enqueued.job());
        } else if (change instanceof Change.Started started) {
            queue.markRunning(started.jobId());
        } else if (change instanceof Change.ItemUpdated item) {
            queue.updateItem(item.jobId(), item.itemId(), item.status(), item.error(), item.durationMs(),
                    item.output());
        } else if (change instanceof Change.RetryScheduled retry) {
            queue.retryLater(retry.jobId(), retry.itemId(), retry.error(), retry.durationMs());
        } else if (change instanceof Change.Completed completed) {
            queue.markCompleted(completed.jobId());
        } else if (change instanceof Change.JobCancelled cancelled) {
            queue.cancelJob(cancelled.jobId());
        } else if (change instanceof Change.ItemCancelled cancelled) {
            queue.cancelItem(cancelled.jobId(), cancelled.itemId());
        } else if (change instanceof Change.Retried retried) {
            queue.retryFailed(retried.jobId());
        } else if (change instanceof Change.Requeued requeued) {
            queue.requeueRunning(requeued.jobId(), requeued.cause());
        } else if (change instanceof Change.PauseChanged pause) {
            if (pause.paused()) {
                queue.pause();
            } else {
                queue.resume();
            }
        } else if (change instanceof Change.Moved moved) {
            queue.moveToFront(moved.jobId());
        } else if (change instanceof Change.PriorityChanged priority) {
            queue.setPriority(priority.jobId(), priority.priority());
        } else if (change instanceof Change.Purged purged) {
            queue.purge(purged.jobId());
        } else if (change instanceof Change.Checkpoint checkpoint) {
            queue.restore(checkpoint.statistics());
        } else {
            throw new IllegalArgumentException("unknown change " + change);
        }
    }
}

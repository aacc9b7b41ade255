package ai.batch.queue.impl.core;

import java.util.OptionalLong;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * An item's life: started, settled (completed, failed, skipped), cancelled, or put back to wait for another
 * attempt. Runs inside one write of the {@link WriteGate}, like {@link JobTransitions}. A completed item with a
 * duration teaches the timing model.
 */
final class ItemTransitions {

    private final WriteGate gate;
    private final QueueState state;

    ItemTransitions(WriteGate gate, QueueState state) {
        this.gate = gate;
        this.state = state;
    }

    /**
     * @param slot the slot that runs the item, for its events, or {@code null}
     * @param cold whether its duration includes a model load; {@code null}: the job's own reckoning (its first
     *        item after its start loaded the model)
     * @return {@code false} if the item was cancelled (the update is dropped: cancellation wins)
     */
    boolean update(String jobId, String itemId, BatchItemStatus status, String error, Long durationMs,
            String output, String slot, Boolean cold) {
        JobRecord record = state.job(jobId);
        int index = record.indexOf(itemId);
        BatchItem<Object> before = record.item(index);
        if (before.status() == BatchItemStatus.CANCELLED) {
            return false;
        }
        Transitions.checkUpdate(record, before, status, durationMs);
        gate.log(new Change.ItemUpdated(gate.now(), record.id(), before.id(), status, error, durationMs, output));
        if (status == BatchItemStatus.RUNNING) {
            BatchItem<Object> after = record.itemStarted(index, gate.now(), error, durationMs, output);
            if (record.status() == BatchJobStatus.RUNNING) {
                gate.notify(listener -> listener.itemStarted(record.id(), after, slot));
            }
            return true;
        }
        boolean coldSample = cold != null ? cold : record.coldPending();
        BatchItem<Object> after = record.itemSettled(index, status, error, durationMs, output);
        if (status == BatchItemStatus.COMPLETED && durationMs != null) {
            state.durations().record(record.resourceKey(), record.operation(), after.sizeBucket(), durationMs,
                    coldSample);
        }
        if (record.status() == BatchJobStatus.RUNNING) {
            progress(record, after, slot);
        }
        return true;
    }

    void cancel(String jobId, String itemId) {
        JobRecord record = state.job(jobId);
        int index = record.indexOf(itemId);
        BatchItem<Object> item = record.item(index);
        if (item.status() == BatchItemStatus.CANCELLED) {
            return;
        }
        Transitions.checkCancelItem(record, item);
        gate.log(new Change.ItemCancelled(gate.now(), record.id(), item.id()));
        BatchItem<Object> after = record.itemCancelled(index);
        gate.notify(listener -> listener.itemCancelled(record.id(), after.id()));
        if (record.status() == BatchJobStatus.RUNNING) {
            progress(record, after, null);
        }
    }

    /**
     * A running item failed in a way that may pass: back to PENDING with its error and attempt count.
     *
     * @param slot the slot that ran the item, for its event, or {@code null}
     * @return {@code false} if the item was cancelled meanwhile
     */
    boolean retryLater(String jobId, String itemId, String error, Long durationMs, String slot) {
        JobRecord record = state.job(jobId);
        int index = record.indexOf(itemId);
        BatchItem<Object> item = record.item(index);
        if (item.status() == BatchItemStatus.CANCELLED) {
            return false;
        }
        if (record.status() != BatchJobStatus.RUNNING || item.status() != BatchItemStatus.RUNNING) {
            throw new IllegalStateException("retryLater: item '" + itemId + "' of job '" + jobId + "' is "
                    + item.status() + " in a " + record.status() + " job; only a RUNNING item can wait for "
                    + "another attempt (to PENDING)");
        }
        gate.log(new Change.RetryScheduled(gate.now(), jobId, itemId, error, durationMs));
        BatchItem<Object> after = record.itemSettled(index, BatchItemStatus.PENDING, error, durationMs, null);
        gate.notify(listener -> listener.itemRetryScheduled(record.id(), after, slot));
        return true;
    }

    private void progress(JobRecord record, BatchItem<Object> item, String slot) {
        OptionalLong remaining = gate.itemEstimatesWanted() ? state.estimator().remainingMs(record, gate.now())
                : OptionalLong.empty();
        QueueListener.ItemProgress progress = new QueueListener.ItemProgress(record.id(), item, record.finalCount(),
                record.size(), remaining.isPresent() ? remaining.getAsLong() : null, slot);
        gate.notify(listener -> listener.itemFinished(progress));
    }
}

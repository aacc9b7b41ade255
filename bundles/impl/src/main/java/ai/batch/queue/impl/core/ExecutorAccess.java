package ai.batch.queue.impl.core;

import java.util.Optional;
import java.util.function.Predicate;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.notify.QueueListeners;

/** {@link ExecutorQueue} over the queue's gate: writes that do not wait to be durable, and two cheap reads. */
final class ExecutorAccess implements ExecutorQueue {

    private final WriteGate gate;
    private final JobTransitions jobs;
    private final ItemTransitions items;
    private final QueueReads reads;

    ExecutorAccess(WriteGate gate, JobTransitions jobs, ItemTransitions items, QueueReads reads) {
        this.gate = gate;
        this.jobs = jobs;
        this.items = items;
        this.reads = reads;
    }

    @Override
    public Optional<BatchJob<?>> startNext(Predicate<String> runnable, SlotStart slot) {
        return gate.writeUnacknowledged(() -> jobs.startNext(runnable, slot));
    }

    @Override
    public boolean tryUpdateItem(String jobId, String itemId, BatchItemStatus status, String error,
            Long durationMs, String output, String slot, Boolean cold) {
        return gate.writeUnacknowledged(() -> items.update(jobId, itemId, status, error, durationMs, output, slot,
                cold));
    }

    @Override
    public boolean retryLater(String jobId, String itemId, String error, Long durationMs, String slot) {
        return gate.writeUnacknowledged(() -> items.retryLater(jobId, itemId, error, durationMs, slot));
    }

    @Override
    public BatchCompletionSummary finishRunning(String jobId) {
        return gate.writeUnacknowledged(() -> jobs.complete(jobId));
    }

    @Override
    public void requeueRunning(String jobId, QueueListener.QueuedCause cause) {
        gate.write(() -> {
            jobs.requeueRunning(jobId, cause);
            return null;
        });
    }

    @Override
    public java.util.List<JobDemand> demand() {
        return gate.read(reads::demand);
    }

    @Override
    public void setSlotsServing(java.util.function.ToIntFunction<String> slots) {
        reads.setSlotsServing(slots); // a volatile setting of the estimator: no lock needed
    }

    @Override
    public Optional<BatchJobStatus> jobStatus(String jobId) {
        return gate.read(() -> reads.jobStatus(jobId));
    }

    @Override
    public Optional<String> restoredDataType(String jobId) {
        return gate.read(() -> reads.restoredDataType(jobId));
    }

    @Override
    public boolean isPaused() {
        return gate.read(reads::isPaused);
    }

    @Override
    public QueueListeners listeners() {
        return gate;
    }
}

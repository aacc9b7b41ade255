package ai.batch.queue.impl.core;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.plan.ReorderNotes;

/**
 * A job's life: enqueue, start, back to the queue, completion, cancellation and retry. Each method runs inside
 * one write of the {@link WriteGate}: it checks everything first, then records the change, applies it and queues
 * its notifications.
 */
final class JobTransitions {

    private final WriteGate gate;
    private final QueueState state;

    JobTransitions(WriteGate gate, QueueState state) {
        this.gate = gate;
        this.state = state;
    }

    String enqueue(BatchJob<?> job, Map<String, Integer> index) {
        String id = job.id().isBlank() ? UUID.randomUUID().toString() : job.id();
        if (state.contains(id)) {
            throw new IllegalArgumentException("Job id '" + id + "' is already in use");
        }
        Instant now = gate.now();
        gate.log(new Change.Enqueued(now, job.withId(id)));
        JobRecord record = new JobRecord(id, job, index, state.nextSeq(), now);
        state.added(record);
        state.plan().replan(record, now);
        BatchJob<Object> snapshot = record.snapshot();
        gate.notify(listener -> listener.jobQueued(snapshot, QueueListener.QueuedCause.ENQUEUED));
        return id;
    }

    void markRunning(String jobId) {
        JobRecord record = state.job(jobId);
        Transitions.requireJob(record, "markRunning", BatchJobStatus.QUEUED);
        start(record);
    }

    /** Starts the first planned job whose model {@code runnable} accepts, unless the queue is paused. */
    /**
     * @param slot the slot that starts the job, or {@code null} for a runner: a slot's start is cold (a model
     *        load) unless the slot holds the model, and the model before is the slot's own
     */
    Optional<BatchJob<?>> startNext(Predicate<String> runnable, ExecutorQueue.SlotStart slot) {
        if (state.paused()) {
            return Optional.empty();
        }
        state.plan().refreshIfStale(gate.now());
        for (JobRecord record : state.plan().jobs()) {
            if (runnable.test(record.resourceKey())) {
                start(record, slot);
                return Optional.of(record.snapshot());
            }
        }
        return Optional.empty();
    }

    private void start(JobRecord record) {
        start(record, null);
    }

    private void start(JobRecord record, ExecutorQueue.SlotStart slot) {
        Instant now = gate.now();
        gate.log(new Change.Started(now, record.id()));
        String model = record.resourceKey();
        record.start(now, slot == null ? !state.plan().isLoaded(model) : !slot.holds().contains(model));
        record.clearFrontRank();
        state.started(record);
        String planPrevious = state.plan().started(record, now);
        String previous = slot == null ? planPrevious : slot.lastModel();
        String switchReason = record.coldPending() ? switchReason(record, previous) : null;
        BatchJob<Object> snapshot = record.snapshot();
        gate.notify(listener -> listener.jobStarted(snapshot, previous, switchReason));
    }

    private String switchReason(JobRecord record, String previous) {
        if (previous == null) {
            return "first model to load";
        }
        return switch (record.planReason()) {
            case MOVED_TO_FRONT, WAITED_TOO_LONG, HIGHER_PRIORITY -> "job " + record.id() + ": "
                    + ReorderNotes.reason(record, previous);
            // every reason named, no default: a new PlanReason does not compile until it says how it switches
            case MODEL_LOADED, SAME_MODEL, ORDER -> state.plan().hasQueuedJobFor(previous) ? "planned order"
                    : "no more queued jobs for '" + previous + "'";
        };
    }

    /** A RUNNING job goes back to the queue (RUNNING items to PENDING); does nothing for other states. */
    void requeueRunning(String jobId, QueueListener.QueuedCause cause) {
        JobRecord record = state.job(jobId);
        if (record.status() != BatchJobStatus.RUNNING) {
            return;
        }
        gate.log(new Change.Requeued(gate.now(), record.id(), cause));
        record.requeue();
        state.requeued(record);
        state.plan().replan(record, gate.now());
        BatchJob<Object> snapshot = record.snapshot();
        gate.notify(listener -> listener.jobQueued(snapshot, cause));
    }

    BatchCompletionSummary complete(String jobId) {
        JobRecord record = state.job(jobId);
        Transitions.requireJob(record, "markCompleted", BatchJobStatus.RUNNING, BatchJobStatus.CANCELLED);
        if (record.status() == BatchJobStatus.RUNNING) {
            gate.log(new Change.Completed(gate.now(), record.id()));
            record.complete(gate.now());
            state.ended(record);
        }
        BatchCompletionSummary summary = BatchCompletionSummary.of(record.snapshot());
        announceEnd(record, summary);
        return summary;
    }

    private void announceEnd(JobRecord record, BatchCompletionSummary summary) {
        if (record.announceEnd()) {
            BatchJobStatus status = record.status();
            gate.notify(listener -> listener.jobEnded(summary, status));
        }
    }

    void cancelJob(String jobId) {
        JobRecord record = state.job(jobId);
        if (record.status() == BatchJobStatus.CANCELLED) {
            return;
        }
        Transitions.requireJob(record, "cancelJob", BatchJobStatus.QUEUED, BatchJobStatus.RUNNING);
        gate.log(new Change.JobCancelled(gate.now(), record.id()));
        boolean wasRunning = record.status() == BatchJobStatus.RUNNING;
        record.cancel(gate.now());
        state.ended(record);
        if (!wasRunning) {
            state.plan().replan(null, gate.now());
        }
        BatchJob<Object> snapshot = record.snapshot();
        gate.notify(listener -> listener.jobCancelled(snapshot, wasRunning));
        if (wasRunning) {
            announceEnd(record, BatchCompletionSummary.of(snapshot));
        }
    }

    void retryFailed(String jobId) {
        JobRecord record = state.job(jobId);
        Transitions.checkRetry(record);
        Instant now = gate.now();
        gate.log(new Change.Retried(now, record.id()));
        record.retryFailed(state.nextSeq(), now);
        state.reopened(record);
        state.plan().replan(record, now);
        BatchJob<Object> snapshot = record.snapshot();
        gate.notify(listener -> listener.jobQueued(snapshot, QueueListener.QueuedCause.RETRIED));
    }
}

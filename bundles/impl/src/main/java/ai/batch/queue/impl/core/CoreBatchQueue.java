package ai.batch.queue.impl.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.SizeBucket;

/**
 * The queue's state machine: jobs, items, plan and ETA statistics behind one lock. Every public method checks
 * everything before it changes anything, so a failed call leaves the queue as it was. Listeners are told about
 * changes in order, after the lock is released.
 */
public final class CoreBatchQueue extends ExecutorSupport implements BatchQueue {

    public CoreBatchQueue(Clock clock, JobPlanner planner, BiConsumer<String, Throwable> onListenerFailure) {
        super(clock, planner, onListenerFailure);
    }

    /** A queue on the system clock with the model-aware planner. */
    public CoreBatchQueue() {
        this(Clock.systemUTC(), new ModelAwarePlanner(), (message, error) -> { });
    }

    @Override
    public String enqueue(BatchJob<?> job) {
        Map<String, Integer> index = EnqueueCheck.check(job);
        return write(() -> {
            String id = job.id().isBlank() ? UUID.randomUUID().toString() : job.id();
            if (jobs.containsKey(id)) {
                throw new IllegalArgumentException("Job id '" + id + "' is already in use");
            }
            log(new Change.Enqueued(now(), job.withId(id)));
            JobRecord record = new JobRecord(id, job, index, nextSeq++, now());
            jobs.put(id, record);
            plan.replan(record, record.waitingSince);
            BatchJob<Object> snapshot = record.snapshot();
            notify(listener -> listener.jobQueued(snapshot, QueueListener.QueuedCause.ENQUEUED));
            return id;
        });
    }

    @Override
    public Optional<BatchJob<?>> nextQueued() {
        return write(() -> {
            plan.refreshIfStale(now());
            List<JobRecord> order = plan.jobs();
            return order.isEmpty() ? Optional.empty() : Optional.of(order.get(0).snapshot());
        });
    }

    @Override
    public void markRunning(String jobId) {
        write(() -> {
            JobRecord record = job(jobId);
            Transitions.requireJob(record, "markRunning", BatchJobStatus.QUEUED);
            start(record);
            return null;
        });
    }

    /**
     * Atomically starts the first planned job whose model the given test accepts (for the executor).
     *
     * @param runnable whether a job's resource key can run now (e.g. has a handler)
     * @return the started job, or empty if no queued job can run
     */
    public Optional<BatchJob<?>> startNext(Predicate<String> runnable) {
        return writeUnacknowledged(() -> {
            if (paused) {
                return Optional.empty();
            }
            plan.refreshIfStale(now());
            for (JobRecord record : plan.jobs()) {
                if (runnable.test(record.resourceKey)) {
                    start(record);
                    return Optional.of(record.snapshot());
                }
            }
            return Optional.empty();
        });
    }

    private void start(JobRecord record) {
        Instant now = now();
        log(new Change.Started(now, record.id));
        record.status = BatchJobStatus.RUNNING;
        record.startedAt = now;
        record.endAnnounced = false;
        record.changed();
        running.put(record.id, record);
        String previous = plan.started(record, now);
        record.coldPending = !record.resourceKey.equals(previous);
        String switchReason = record.coldPending ? switchReason(record, previous) : null;
        BatchJob<Object> snapshot = record.snapshot();
        notify(listener -> listener.jobStarted(snapshot, previous, switchReason));
    }

    private String switchReason(JobRecord record, String previous) {
        if (previous == null) {
            return "first model to load";
        }
        return switch (record.planReason) {
            case MOVED_TO_FRONT, WAITED_TOO_LONG, HIGHER_PRIORITY -> "job " + record.id + ": "
                    + ReorderNotes.reason(record, previous);
            default -> plan.hasQueuedJobFor(previous) ? "planned order"
                    : "no more queued jobs for '" + previous + "'";
        };
    }

    /**
     * Puts a running job back in the queue because it cannot go on now (its handler went away, or the queue is
     * stopping): RUNNING items become PENDING again (they will run again: at-least-once), the job becomes
     * QUEUED at its old place in enqueue order. Does nothing unless the job is RUNNING.
     *
     * @param jobId the job
     * @param cause why, for listeners
     */
    public void requeueRunning(String jobId, QueueListener.QueuedCause cause) {
        write(() -> {
            JobRecord record = job(jobId);
            if (record.status != BatchJobStatus.RUNNING) {
                return null;
            }
            log(new Change.Requeued(now(), record.id, cause));
            for (int i = 0; i < record.size(); i++) {
                BatchItem<Object> item = record.item(i);
                if (item.status() == BatchItemStatus.RUNNING) {
                    record.setItem(i, BatchItemStatus.PENDING, null, null, null);
                }
            }
            record.runningSince.clear();
            record.status = BatchJobStatus.QUEUED;
            record.changed();
            running.remove(record.id);
            plan.replan(record, now());
            BatchJob<Object> snapshot = record.snapshot();
            notify(listener -> listener.jobQueued(snapshot, cause));
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
        write(() -> {
            applyUpdate(jobId, itemId, status, error, durationMs, output);
            return null;
        });
    }

    /**
     * As {@link #updateItem}, but tells whether the update took effect ({@code false}: the item was cancelled).
     */
    public boolean tryUpdateItem(String jobId, String itemId, BatchItemStatus status, String error,
            Long durationMs, String output) {
        return writeUnacknowledged(() -> applyUpdate(jobId, itemId, status, error, durationMs, output));
    }

    private boolean applyUpdate(String jobId, String itemId, BatchItemStatus status, String error,
            Long durationMs, String output) {
        JobRecord record = job(jobId);
        int index = record.indexOf(itemId);
        BatchItem<Object> before = record.item(index);
        if (before.status() == BatchItemStatus.CANCELLED) {
            return false;
        }
        Transitions.checkUpdate(record, before, status, durationMs);
        log(new Change.ItemUpdated(now(), record.id, before.id(), status, error, durationMs, output));
        record.setItem(index, status, error, durationMs, output);
        if (status == BatchItemStatus.RUNNING) {
            record.runningSince.put(index, now());
            record.setAttempts(index, before.attempts() + 1);
        } else {
            record.runningSince.remove(index);
        }
        BatchItem<Object> after = record.item(index);
        if (status == BatchItemStatus.COMPLETED && durationMs != null) {
            durations.record(record.resourceKey, record.operation, after.sizeBucket(), durationMs,
                    record.coldPending);
        }
        if ((status == BatchItemStatus.COMPLETED || status == BatchItemStatus.FAILED) && durationMs != null) {
            record.coldPending = false; // the model is loaded now
        }
        if (record.status == BatchJobStatus.RUNNING) {
            if (status == BatchItemStatus.RUNNING) {
                notify(listener -> listener.itemStarted(record.id, after));
            } else {
                progress(record, after);
            }
        }
        return true;
    }

    private void progress(JobRecord record, BatchItem<Object> item) {
        OptionalLong remaining = estimator.remainingMs(record, now());
        QueueListener.ItemProgress progress = new QueueListener.ItemProgress(record.id, item, record.finalCount(),
                record.size(), remaining.isPresent() ? remaining.getAsLong() : null);
        notify(listener -> listener.itemFinished(progress));
    }

    @Override
    public BatchCompletionSummary markCompleted(String jobId) {
        return write(() -> complete(jobId));
    }

    /** As {@link #markCompleted}, for the executor: it need not wait for the change to be durable. */
    public BatchCompletionSummary finishRunning(String jobId) {
        return writeUnacknowledged(() -> complete(jobId));
    }

    private BatchCompletionSummary complete(String jobId) {
        JobRecord record = job(jobId);
        Transitions.requireJob(record, "markCompleted", BatchJobStatus.RUNNING, BatchJobStatus.CANCELLED);
        if (record.status == BatchJobStatus.RUNNING) {
            log(new Change.Completed(now(), record.id));
            record.status = record.hasFailedItem() ? BatchJobStatus.COMPLETED_WITH_ERRORS
                    : BatchJobStatus.COMPLETED;
            record.completedAt = now();
            record.changed();
            running.remove(record.id);
            finishedInOrder(record);
        }
        BatchCompletionSummary summary = BatchCompletionSummary.of(record.snapshot());
        announceEnd(record, summary);
        return summary;
    }

    private void announceEnd(JobRecord record, BatchCompletionSummary summary) {
        if (record.startedAt != null && !record.endAnnounced) {
            record.endAnnounced = true;
            BatchJobStatus status = record.status;
            notify(listener -> listener.jobEnded(summary, status));
        }
    }

    @Override
    public void cancelJob(String jobId) {
        write(() -> {
            JobRecord record = job(jobId);
            if (record.status == BatchJobStatus.CANCELLED) {
                return null;
            }
            Transitions.requireJob(record, "cancelJob", BatchJobStatus.QUEUED, BatchJobStatus.RUNNING);
            log(new Change.JobCancelled(now(), record.id));
            boolean wasRunning = record.status == BatchJobStatus.RUNNING;
            for (int i = 0; i < record.size(); i++) {
                BatchItem<Object> item = record.item(i);
                if (!item.status().isFinal()) {
                    record.setItem(i, BatchItemStatus.CANCELLED, item.error(), item.durationMs(), item.output());
                }
            }
            record.runningSince.clear();
            record.status = BatchJobStatus.CANCELLED;
            record.completedAt = now();
            record.changed();
            running.remove(record.id);
            finishedInOrder(record);
            if (!wasRunning) {
                plan.replan(null, now());
            }
            BatchJob<Object> snapshot = record.snapshot();
            notify(listener -> listener.jobCancelled(snapshot, wasRunning));
            if (wasRunning) {
                announceEnd(record, BatchCompletionSummary.of(snapshot));
            }
            return null;
        });
    }

    @Override
    public void cancelItem(String jobId, String itemId) {
        write(() -> {
            JobRecord record = job(jobId);
            int index = record.indexOf(itemId);
            BatchItem<Object> item = record.item(index);
            if (item.status() == BatchItemStatus.CANCELLED) {
                return null;
            }
            Transitions.checkCancelItem(record, item);
            log(new Change.ItemCancelled(now(), record.id, item.id()));
            BatchItem<Object> after = record.setItem(index, BatchItemStatus.CANCELLED, item.error(),
                    item.durationMs(), item.output());
            record.runningSince.remove(index);
            notify(listener -> listener.itemCancelled(record.id, after.id()));
            if (record.status == BatchJobStatus.RUNNING) {
                progress(record, after);
            }
            return null;
        });
    }

    @Override
    public void retryFailed(String jobId) {
        write(() -> {
            JobRecord record = job(jobId);
            Transitions.checkRetry(record);
            log(new Change.Retried(now(), record.id));
            for (int i = 0; i < record.size(); i++) {
                if (record.item(i).status() == BatchItemStatus.FAILED) {
                    record.setItem(i, BatchItemStatus.PENDING, null, null, null);
                    record.setAttempts(i, 0); // a retry by hand starts a fresh budget of attempts
                }
            }
            record.status = BatchJobStatus.QUEUED;
            record.completedAt = null;
            finished.remove(record.id);
            record.planSeq = nextSeq++;
            record.waitingSince = now();
            record.frontRank = 0;
            record.changed();
            plan.replan(record, record.waitingSince);
            BatchJob<Object> snapshot = record.snapshot();
            notify(listener -> listener.jobQueued(snapshot, QueueListener.QueuedCause.RETRIED));
            return null;
        });
    }

    @Override
    public List<BatchJob<?>> listJobs() {
        return write(() -> {
            plan.refreshIfStale(now());
            List<JobRecord> order = plan.jobs();
            List<BatchJob<?>> result = new ArrayList<>(jobs.size());
            int nextPlanned = 0;
            for (JobRecord record : jobs.values()) {
                // Queued jobs fill the queued slots in planned order.
                JobRecord shown = record.status == BatchJobStatus.QUEUED ? order.get(nextPlanned++) : record;
                result.add(shown.snapshot());
            }
            return Collections.unmodifiableList(result);
        });
    }

    @Override
    public Optional<BatchJob<?>> getJob(String jobId) {
        return read(() -> {
            JobRecord record = jobId == null ? null : jobs.get(jobId);
            return record == null ? Optional.empty() : Optional.of(record.snapshot());
        });
    }

    @Override
    public OptionalLong estimateRemainingMs(String jobId) {
        return read(() -> {
            JobRecord record = jobId == null ? null : jobs.get(jobId);
            return record == null ? OptionalLong.empty() : estimator.remainingMs(record, now());
        });
    }

    @Override
    public Optional<BatchEstimate> estimate(String jobId) {
        return write(() -> {
            JobRecord record = jobId == null ? null : jobs.get(jobId);
            if (record == null) {
                return Optional.empty();
            }
            Instant now = now();
            plan.refreshIfStale(now);
            return Optional.of(estimator.estimate(record, plan, running.values(), now));
        });
    }

    @Override
    public long etaSampleCount(String resourceKey, String operation, SizeBucket bucket) {
        return read(() -> durations.sampleCount(resourceKey, operation, bucket));
    }

    @Override
    public boolean hasRunningJob() {
        return read(() -> !running.isEmpty());
    }

    @Override
    public int queuedCount() {
        return read(() -> plan.jobs().size());
    }
}

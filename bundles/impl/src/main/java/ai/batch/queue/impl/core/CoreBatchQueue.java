package ai.batch.queue.impl.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

import ai.batch.queue.BatchCompletionSummary;
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
public final class CoreBatchQueue implements BatchQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final JobPlanner planner;
    private final EtaTracker eta = new EtaTracker();
    private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
    private final Map<String, JobRecord> running = new HashMap<>();
    private final List<QueueListener> listeners = new CopyOnWriteArrayList<>();
    private final OrderedDispatcher dispatcher;
    private List<JobRecord> plan = List.of();
    private String loadedResource;
    private long nextSeq;
    private boolean planChanged;

    public CoreBatchQueue(Clock clock, JobPlanner planner, BiConsumer<String, Throwable> onListenerFailure) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.dispatcher = new OrderedDispatcher(onListenerFailure);
    }

    /** A queue on the system clock with the model-aware planner. */
    public CoreBatchQueue() {
        this(Clock.systemUTC(), new ModelAwarePlanner(), (message, error) -> { });
    }

    public void addListener(QueueListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(QueueListener listener) {
        listeners.remove(listener);
    }

    @Override
    public String enqueue(BatchJob<?> job) {
        EnqueueCheck.check(job);
        return write(() -> {
            String id = job.id().isBlank() ? UUID.randomUUID().toString() : job.id();
            if (jobs.containsKey(id)) {
                throw new IllegalArgumentException("Job id '" + id + "' is already in use");
            }
            JobRecord record = new JobRecord(id, job, nextSeq++, clock.instant());
            jobs.put(id, record);
            replan(record);
            BatchJob<Object> snapshot = record.snapshot();
            notify(listener -> listener.jobQueued(snapshot, QueueListener.QueuedCause.ENQUEUED));
            return id;
        });
    }

    @Override
    public Optional<BatchJob<?>> nextQueued() {
        return read(() -> plan.isEmpty() ? Optional.empty() : Optional.of(plan.get(0).snapshot()));
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
        return write(() -> {
            for (JobRecord record : plan) {
                if (runnable.test(record.resourceKey)) {
                    start(record);
                    return Optional.of(record.snapshot());
                }
            }
            return Optional.empty();
        });
    }

    private void start(JobRecord record) {
        String previousResource = loadedResource;
        record.status = BatchJobStatus.RUNNING;
        record.startedAt = clock.instant();
        record.endAnnounced = false;
        record.changed();
        running.put(record.id, record);
        loadedResource = record.resourceKey;
        replan(null);
        BatchJob<Object> snapshot = record.snapshot();
        notify(listener -> listener.jobStarted(snapshot, previousResource));
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
            for (int i = 0; i < record.size(); i++) {
                BatchItem<Object> item = record.item(i);
                if (item.status() == BatchItemStatus.RUNNING) {
                    record.setItem(i, BatchItemStatus.PENDING, null, null, null);
                }
            }
            record.status = BatchJobStatus.QUEUED;
            record.changed();
            running.remove(record.id);
            replan(record);
            BatchJob<Object> snapshot = record.snapshot();
            notify(listener -> listener.jobQueued(snapshot, cause));
            return null;
        });
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
        return write(() -> applyUpdate(jobId, itemId, status, error, durationMs, output));
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
        BatchItem<Object> after = record.setItem(index, status, error, durationMs, output);
        if (status == BatchItemStatus.COMPLETED && durationMs != null) {
            eta.record(record.resourceKey, record.operation, after.sizeBucket(), durationMs);
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
        OptionalLong remaining = estimate(record);
        QueueListener.ItemProgress progress = new QueueListener.ItemProgress(record.id, item, record.finalCount(),
                record.size(), remaining.isPresent() ? remaining.getAsLong() : null);
        notify(listener -> listener.itemFinished(progress));
    }

    @Override
    public BatchCompletionSummary markCompleted(String jobId) {
        return write(() -> {
            JobRecord record = job(jobId);
            Transitions.requireJob(record, "markCompleted", BatchJobStatus.RUNNING, BatchJobStatus.CANCELLED);
            if (record.status == BatchJobStatus.RUNNING) {
                record.status = record.hasFailedItem() ? BatchJobStatus.COMPLETED_WITH_ERRORS
                        : BatchJobStatus.COMPLETED;
                record.completedAt = clock.instant();
                record.changed();
                running.remove(record.id);
            }
            BatchCompletionSummary summary = BatchCompletionSummary.of(record.snapshot());
            announceEnd(record, summary);
            return summary;
        });
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
            boolean wasRunning = record.status == BatchJobStatus.RUNNING;
            for (int i = 0; i < record.size(); i++) {
                BatchItem<Object> item = record.item(i);
                if (!item.status().isFinal()) {
                    record.setItem(i, BatchItemStatus.CANCELLED, item.error(), item.durationMs(), item.output());
                }
            }
            record.status = BatchJobStatus.CANCELLED;
            record.completedAt = clock.instant();
            record.changed();
            running.remove(record.id);
            if (!wasRunning) {
                replan(null);
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
            BatchItem<Object> after = record.setItem(index, BatchItemStatus.CANCELLED, item.error(),
                    item.durationMs(), item.output());
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
            for (int i = 0; i < record.size(); i++) {
                if (record.item(i).status() == BatchItemStatus.FAILED) {
                    record.setItem(i, BatchItemStatus.PENDING, null, null, null);
                }
            }
            record.status = BatchJobStatus.QUEUED;
            record.completedAt = null;
            record.planSeq = nextSeq++;
            record.changed();
            replan(record);
            BatchJob<Object> snapshot = record.snapshot();
            notify(listener -> listener.jobQueued(snapshot, QueueListener.QueuedCause.RETRIED));
            return null;
        });
    }

    @Override
    public List<BatchJob<?>> listJobs() {
        return read(() -> {
            List<BatchJob<?>> result = new ArrayList<>(jobs.size());
            int nextPlanned = 0;
            for (JobRecord record : jobs.values()) {
                // Queued jobs fill the queued slots in planned order.
                JobRecord shown = record.status == BatchJobStatus.QUEUED ? plan.get(nextPlanned++) : record;
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
            return record == null ? OptionalLong.empty() : estimate(record);
        });
    }

    private OptionalLong estimate(JobRecord record) {
        double total = 0;
        boolean anyOpen = false;
        for (SizeBucket bucket : SizeBucket.values()) {
            int open = record.openCount(bucket);
            if (open > 0) {
                anyOpen = true;
                OptionalDouble perItem = eta.estimateItemMs(record.resourceKey, record.operation, bucket);
                if (perItem.isEmpty()) {
                    // The fallback chain ends at the resource key and operation, shared by every bucket.
                    return OptionalLong.empty();
                }
                total += perItem.getAsDouble() * open;
            }
        }
        return anyOpen ? OptionalLong.of(Math.round(total)) : OptionalLong.of(0);
    }

    @Override
    public long etaSampleCount(String resourceKey, String operation, SizeBucket bucket) {
        return read(() -> eta.sampleCount(resourceKey, operation, bucket));
    }

    @Override
    public boolean hasRunningJob() {
        return read(() -> !running.isEmpty());
    }

    @Override
    public int queuedCount() {
        return read(() -> plan.size());
    }

    private JobRecord job(String jobId) {
        JobRecord record = jobId == null ? null : jobs.get(jobId);
        if (record == null) {
            throw new NoSuchElementException("No job with id '" + jobId + "'");
        }
        return record;
    }

    /**
     * Recomputes the plan from the jobs still QUEUED in it plus {@code added} (a job that just became QUEUED).
     */
    private void replan(JobRecord added) {
        List<JobRecord> queued = new ArrayList<>(plan.size() + 1);
        for (JobRecord record : plan) {
            if (record.status == BatchJobStatus.QUEUED) {
                queued.add(record);
            }
        }
        if (added != null) {
            queued.add(added);
        }
        List<JobRecord> newPlan = planner.plan(queued, loadedResource);
        ReorderNotes.mark(newPlan, loadedResource);
        planChanged |= !newPlan.equals(plan);
        plan = newPlan;
    }

    /** Tells listeners about a plan change, after the change that caused it. */
    private void notifyPlanChange() {
        if (planChanged && !listeners.isEmpty()) {
            List<BatchJob<?>> planned = new ArrayList<>(plan.size());
            plan.forEach(record -> planned.add(record.snapshot()));
            List<BatchJob<?>> view = Collections.unmodifiableList(planned);
            notify(listener -> listener.planChanged(view));
        }
        planChanged = false;
    }

    private void notify(Consumer<QueueListener> notification) {
        for (QueueListener listener : listeners) {
            dispatcher.submit(() -> notification.accept(listener));
        }
    }

    private interface Action<T> {
        T run();
    }

    private <T> T write(Action<T> action) {
        lock.lock();
        try {
            T result = action.run();
            notifyPlanChange();
            return result;
        } finally {
            lock.unlock();
            dispatcher.drain();
        }
    }

    private <T> T read(Action<T> action) {
        lock.lock();
        try {
            return action.run();
        } finally {
            lock.unlock();
        }
    }
}

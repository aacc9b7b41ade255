package ai.batch.queue.impl.core;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.JobPriority;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.plan.JobPlanner;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

/**
 * The queue: the contract's methods, each one write or read through the {@link WriteGate} that delegates to the
 * transition or query it names. Every write checks everything before it changes anything, so a failed call
 * leaves the queue as it was; listeners are told about changes in order, after the lock is released. The
 * executor and the component that runs the queue reach the rest through {@link #executor()} and
 * {@link #admin()}.
 */
public final class CoreBatchQueue implements BatchQueue {

    private final WriteGate gate;
    private final JobTransitions jobs;
    private final ItemTransitions items;
    private final Steering steering;
    private final QueueReads reads;
    private final ExecutorQueue executor;
    private final QueueAdmin admin;
    private final QueueState state;

    public CoreBatchQueue(Clock clock, JobPlanner planner, BiConsumer<String, Throwable> onListenerFailure) {
        this.state = new QueueState(Objects.requireNonNull(planner, "planner"));
        this.gate = new WriteGate(clock, onListenerFailure, this::announcePlan);
        this.jobs = new JobTransitions(gate, state);
        this.items = new ItemTransitions(gate, state);
        this.steering = new Steering(gate, state);
        this.reads = new QueueReads(gate, state);
        this.executor = new ExecutorAccess(gate, jobs, items, reads);
        this.admin = new AdminAccess(gate, state, jobs, steering, reads, new ChangeReplayer(this, executor,
                steering, gate));
    }

    /** Ends every write and read: a changed plan is announced (runs only once construction is done). */
    private void announcePlan() {
        steering.afterWrite();
    }

    /** A queue on the system clock with the model-aware planner. */
    public CoreBatchQueue() {
        this(Clock.systemUTC(), new ModelAwarePlanner(), (message, error) -> { });
    }

    /** @return the queue as the executor sees it */
    public ExecutorQueue executor() {
        return executor;
    }

    /** @return the queue as the component running it, its journal and recovery see it */
    public QueueAdmin admin() {
        return admin;
    }

    /** Looks at the state under the lock, the plan brought up to date first (for tests of this package). */
    <T> T inspect(Function<QueueState, T> look) {
        return gate.read(() -> {
            state.plan().refreshIfStale(gate.now());
            return look.apply(state);
        });
    }

    @Override
    public String enqueue(BatchJob<?> job) {
        Map<String, Integer> index = EnqueueCheck.check(job);
        return gate.write(() -> jobs.enqueue(job, index));
    }

    @Override
    public Optional<BatchJob<?>> nextQueued() {
        return gate.read(reads::nextQueued);
    }

    @Override
    public void markRunning(String jobId) {
        gate.write(() -> {
            jobs.markRunning(jobId);
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
        gate.write(() -> items.update(jobId, itemId, status, error, durationMs, output, null, null));
    }

    @Override
    public BatchCompletionSummary markCompleted(String jobId) {
        return gate.write(() -> jobs.complete(jobId));
    }

    @Override
    public void cancelJob(String jobId) {
        gate.write(() -> {
            jobs.cancelJob(jobId);
            return null;
        });
    }

    @Override
    public void cancelItem(String jobId, String itemId) {
        gate.write(() -> {
            items.cancel(jobId, itemId);
            return null;
        });
    }

    @Override
    public void retryFailed(String jobId) {
        gate.write(() -> {
            jobs.retryFailed(jobId);
            return null;
        });
    }

    @Override
    public List<BatchJob<?>> listJobs() {
        return gate.read(reads::listJobs);
    }

    @Override
    public Optional<BatchJob<?>> getJob(String jobId) {
        return gate.read(() -> reads.getJob(jobId));
    }

    @Override
    public OptionalLong estimateRemainingMs(String jobId) {
        return gate.read(() -> reads.estimateRemainingMs(jobId));
    }

    @Override
    public Optional<BatchEstimate> estimate(String jobId) {
        return gate.read(() -> reads.estimate(jobId));
    }

    @Override
    public long etaSampleCount(String resourceKey, String operation, SizeBucket bucket) {
        return gate.read(() -> reads.etaSampleCount(resourceKey, operation, bucket));
    }

    @Override
    public void pause() {
        gate.write(() -> {
            steering.setPaused(true);
            return null;
        });
    }

    @Override
    public void resume() {
        gate.write(() -> {
            steering.setPaused(false);
            return null;
        });
    }

    @Override
    public boolean isPaused() {
        return gate.read(reads::isPaused);
    }

    @Override
    public void moveToFront(String jobId) {
        gate.write(() -> {
            steering.moveToFront(jobId);
            return null;
        });
    }

    @Override
    public void setPriority(String jobId, JobPriority priority) {
        gate.write(() -> {
            steering.setPriority(jobId, priority);
            return null;
        });
    }

    @Override
    public void purge(String jobId) {
        gate.write(() -> {
            steering.purge(jobId);
            return null;
        });
    }

    @Override
    public int purgeFinished(Instant finishedBefore) {
        Objects.requireNonNull(finishedBefore, "finishedBefore");
        return gate.write(() -> steering.purgeFinished(finishedBefore));
    }

    @Override
    public boolean hasRunningJob() {
        return gate.read(reads::hasRunningJob);
    }

    @Override
    public int queuedCount() {
        return gate.read(reads::queuedCount);
    }
}

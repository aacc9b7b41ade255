package ai.batch.queue.impl.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.notify.QueueListeners;
import ai.batch.queue.impl.plan.JobPlanner;

/** {@link QueueAdmin} over the queue's gate. */
final class AdminAccess implements QueueAdmin {

    private final WriteGate gate;
    private final QueueState state;
    private final JobTransitions jobs;
    private final Steering steering;
    private final QueueReads reads;
    private final ChangeReplayer replayer;

    AdminAccess(WriteGate gate, QueueState state, JobTransitions jobs, Steering steering, QueueReads reads,
            ChangeReplayer replayer) {
        this.gate = gate;
        this.state = state;
        this.jobs = jobs;
        this.steering = steering;
        this.reads = reads;
        this.replayer = replayer;
    }

    @Override
    public QueueListeners listeners() {
        return gate;
    }

    @Override
    public void deliverOnThread(int capacity, long maxWaitMs, String threadName) {
        gate.deliverOnThread(capacity, maxWaitMs, threadName);
    }

    @Override
    public void flushNotifications() {
        gate.flushNotifications();
    }

    @Override
    public void closeNotifications() {
        gate.closeNotifications();
    }

    @Override
    public void runInOrder(Runnable task) {
        gate.runInOrder(task);
    }

    @Override
    public void setChangeLog(ChangeLog log) {
        gate.setChangeLog(log);
    }

    @Override
    public void replay(Change change) {
        change.accept(replayer);
    }

    @Override
    public void setRestoredDataType(String jobId, String typeName) {
        gate.write(() -> {
            state.job(jobId).setRestoredDataType(typeName);
            return null;
        });
    }

    @Override
    public void checkpoint() {
        gate.write(() -> {
            steering.checkpoint();
            return null;
        });
    }

    @Override
    public int requeueAllRunning(QueueListener.QueuedCause cause) {
        return gate.write(() -> {
            List<String> running = new ArrayList<>();
            for (JobRecord record : state.jobs()) {
                if (record.status() == BatchJobStatus.RUNNING) {
                    running.add(record.id());
                }
            }
            running.forEach(id -> jobs.requeueRunning(id, cause));
            return running.size();
        });
    }

    @Override
    public int jobCount() {
        return gate.read(reads::jobCount);
    }

    @Override
    public Optional<BatchJob<?>> job(String jobId) {
        return gate.read(() -> reads.getJob(jobId));
    }

    @Override
    public List<BatchJob<?>> jobs() {
        return gate.read(reads::listJobs);
    }

    @Override
    public int applyRetention(Duration maxAge, int maxFinished) {
        return gate.write(() -> steering.applyRetention(maxAge, maxFinished));
    }

    @Override
    public void recordLoadTime(String resourceKey, long ms) {
        gate.write(() -> {
            steering.recordLoadTime(resourceKey, ms);
            return null;
        });
    }

    @Override
    public OptionalDouble loadTimeMs(String resourceKey) {
        return gate.read(() -> state.durations().loadMs(resourceKey));
    }

    @Override
    public void setResidentModels(Set<String> models) {
        Set<String> copy = Set.copyOf(models);
        gate.write(() -> {
            steering.setResident(copy);
            return null;
        });
    }

    @Override
    public Optional<BatchJob<?>> firstQueuedOfAnotherModel(String model, int limit) {
        return gate.read(() -> reads.firstQueuedOfAnotherModel(model, limit));
    }

    @Override
    public Set<String> modelsWithWork() {
        return gate.read(reads::modelsWithWork);
    }

    @Override
    public void setPlanner(JobPlanner planner) {
        Objects.requireNonNull(planner, "planner");
        gate.write(() -> {
            steering.setPlanner(planner);
            return null;
        });
    }
}

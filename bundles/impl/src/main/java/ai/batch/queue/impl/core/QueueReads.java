package ai.batch.queue.impl.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.SizeBucket;

/**
 * The queries. Each runs inside one {@link WriteGate#read}: under the lock, never waiting for durability or for
 * listeners. A read may bring the plan up to date when time alone has changed it (a job reached the maximum
 * wait); that records nothing.
 */
final class QueueReads {

    private final WriteGate gate;
    private final QueueState state;

    QueueReads(WriteGate gate, QueueState state) {
        this.gate = gate;
        this.state = state;
    }

    Optional<BatchJob<?>> nextQueued() {
        state.plan().refreshIfStale(gate.now());
        List<JobRecord> order = state.plan().jobs();
        return order.isEmpty() ? Optional.empty() : Optional.of(order.get(0).snapshot());
    }

    List<BatchJob<?>> listJobs() {
        state.plan().refreshIfStale(gate.now());
        List<JobRecord> order = state.plan().jobs();
        List<BatchJob<?>> result = new ArrayList<>(state.size());
        int nextPlanned = 0;
        for (JobRecord record : state.jobs()) {
            // Queued jobs fill the queued slots in planned order.
            JobRecord shown = record.status() == BatchJobStatus.QUEUED ? order.get(nextPlanned++) : record;
            result.add(shown.snapshot());
        }
        return Collections.unmodifiableList(result);
    }

    Optional<BatchJob<?>> getJob(String jobId) {
        JobRecord record = state.find(jobId);
        return record == null ? Optional.empty() : Optional.of(record.snapshot());
    }

    Optional<BatchJobStatus> jobStatus(String jobId) {
        JobRecord record = state.find(jobId);
        return record == null ? Optional.empty() : Optional.of(record.status());
    }

    void setSlotsServing(java.util.function.ToIntFunction<String> slots) {
        state.estimator().setSlotsServing(slots);
    }

    List<ExecutorQueue.JobDemand> demand() {
        Instant now = gate.now();
        state.plan().refreshIfStale(now);
        List<ExecutorQueue.JobDemand> result = new ArrayList<>();
        for (JobRecord record : state.plan().jobs()) {
            result.add(demandOf(record, false, now));
        }
        for (JobRecord record : state.running()) {
            result.add(demandOf(record, true, now));
        }
        return result;
    }

    private ExecutorQueue.JobDemand demandOf(JobRecord record, boolean running, Instant now) {
        return new ExecutorQueue.JobDemand(record.id(), record.resourceKey(), running,
                record.size() - record.finalCount(), state.estimator().work(record, now).ms(),
                state.estimator().loadMs(record.resourceKey()).orElse(Double.NaN),
                record.planReason() == ai.batch.queue.impl.plan.PlanReason.WAITED_TOO_LONG);
    }

    Optional<String> restoredDataType(String jobId) {
        JobRecord record = state.find(jobId);
        return record == null ? Optional.empty() : Optional.ofNullable(record.restoredDataType());
    }

    OptionalLong estimateRemainingMs(String jobId) {
        JobRecord record = state.find(jobId);
        return record == null ? OptionalLong.empty() : state.estimator().remainingMs(record, gate.now());
    }

    Optional<BatchEstimate> estimate(String jobId) {
        JobRecord record = state.find(jobId);
        if (record == null) {
            return Optional.empty();
        }
        Instant now = gate.now();
        state.plan().refreshIfStale(now);
        return Optional.of(state.estimator().estimate(record, state.plan(), state.running(), now));
    }

    long etaSampleCount(String resourceKey, String operation, SizeBucket bucket) {
        return state.durations().sampleCount(resourceKey, operation, bucket);
    }

    boolean hasRunningJob() {
        return !state.running().isEmpty();
    }

    int queuedCount() {
        return state.plan().jobs().size();
    }

    boolean isPaused() {
        return state.paused();
    }

    Set<String> modelsWithWork() {
        Set<String> models = new HashSet<>();
        state.plan().jobs().forEach(record -> models.add(record.resourceKey()));
        state.running().forEach(record -> models.add(record.resourceKey()));
        return models;
    }

    /** @return the first planned job whose model is not {@code model}, looking at most {@code limit} jobs ahead */
    Optional<BatchJob<?>> firstQueuedOfAnotherModel(String model, int limit) {
        List<JobRecord> order = state.plan().jobs();
        for (int i = 0; i < Math.min(limit, order.size()); i++) {
            if (!order.get(i).resourceKey().equals(model)) {
                return Optional.of(order.get(i).snapshot());
            }
        }
        return Optional.empty();
    }

    int jobCount() {
        return state.size();
    }
}

package ai.batch.queue.sim.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.sim.SimClock;
import ai.batch.queue.sim.policy.Policy;
import ai.batch.queue.sim.trace.JobSpec;
import ai.batch.queue.sim.trace.ModelSpec;
import ai.batch.queue.sim.trace.Trace;

/**
 * Replays a trace through the real queue ({@link CoreBatchQueue} with the policy's planner) on simulated time,
 * with one GPU that runs one item at a time. Events are taken in time order; at each instant: the running item
 * finishes (and its job ends, and is retried at once if it has failed items and retry rounds left), then the jobs
 * arriving at that instant are enqueued, then an idle GPU starts the queue's next job. The first item after a
 * model switch takes the model's load time on top of its own.
 */
public final class Simulation {

    /** Simulated time 0. */
    public static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    private final Trace trace;
    private final Policy policy;
    private final Duration maxWait;
    private final ItemOutcomes outcomes;
    private final SimClock clock = new SimClock(ORIGIN);
    private final RunLog log = new RunLog();
    private final SeedEstimator seedEstimator = new SeedEstimator();
    private final CoreBatchQueue queue;
    private final Map<String, Integer> jobIndex = new HashMap<>();
    private final Map<String, JobRun> waiting = new HashMap<>();
    private String gpuModel;
    private Active active;
    private long nextSeq;

    /** The job on the GPU and where it is. */
    private static final class Active {
        final JobRun run;
        final ModelSpec model;
        final List<Integer> items;
        final boolean[] reached = new boolean[RunResult.PROGRESS.length];
        int next;
        long itemEndMs;
        long itemMs;
        boolean itemFails;

        Active(JobRun run, ModelSpec model, List<Integer> items) {
            this.run = run;
            this.model = model;
            this.items = items;
        }
    }

    /**
     * @param maxWait the maximum wait the wait bound is checked against (the model-aware policy's)
     * @param seed draws item times and failures
     */
    public Simulation(Trace trace, Policy policy, Duration maxWait, long seed) {
        this.trace = trace;
        this.policy = policy;
        this.maxWait = maxWait;
        this.outcomes = new ItemOutcomes(seed);
        BoundWatch planner = new BoundWatch(policy.planners().get(), log::overduePlanned);
        this.queue = new CoreBatchQueue(clock, planner, (message, error) -> {
            throw new IllegalStateException(message, error);
        });
        for (int i = 0; i < trace.jobs().size(); i++) {
            jobIndex.put(trace.jobs().get(i).id(), i);
        }
    }

    /** Runs the whole trace; call once. */
    public RunResult run() {
        List<JobSpec> arrivals = trace.jobs();
        int nextArrival = 0;
        while (nextArrival < arrivals.size() || active != null) {
            long now = nextArrival < arrivals.size() ? arrivals.get(nextArrival).atMs() : Long.MAX_VALUE;
            if (active != null) {
                now = Math.min(now, active.itemEndMs);
            }
            clock.setMillis(now);
            if (active != null && active.itemEndMs == now) {
                finishItem(now);
            }
            while (nextArrival < arrivals.size() && arrivals.get(nextArrival).atMs() == now) {
                arrive(arrivals.get(nextArrival++), now);
            }
            if (active == null) {
                startNextJob(now);
            }
            if (active == null && queue.queuedCount() == 0) {
                log.idleAt(now);
            }
        }
        if (queue.queuedCount() != 0) {
            throw new IllegalStateException(policy.name() + " left " + queue.queuedCount() + " jobs queued");
        }
        return RunResult.of(policy, log, maxWait.toMillis());
    }

    private void arrive(JobSpec job, long now) {
        List<BatchItem<Object>> items = new ArrayList<>(job.items().size());
        for (int i = 0; i < job.items().size(); i++) {
            items.add(BatchItem.of(itemId(i), null, job.items().get(i)));
        }
        queue.enqueue(BatchJob.of(job.model(), job.operation(), OverwritePolicy.OVERWRITE, items).withId(job.id()));
        JobRun run = queued(job, 0, now);
        Long expectedWait = queue.estimate(job.id()).map(BatchEstimate::expectedStart)
                .map(start -> clock.toMillis(start) - now).orElse(null);
        log.startEstimate(new RunLog.StartEstimate(run, expectedWait));
    }

    private JobRun queued(JobSpec job, int attempt, long now) {
        JobRun run = new JobRun(job, attempt, nextSeq++, now);
        waiting.put(job.id(), run);
        log.enqueued(run, gpuModel);
        return run;
    }

    private void startNextJob(long now) {
        Optional<BatchJob<?>> started = queue.executor().startNext(resourceKey -> true);
        if (started.isEmpty()) {
            return;
        }
        BatchJob<?> job = started.get();
        JobRun run = waiting.remove(job.id());
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < job.items().size(); i++) {
            if (job.items().get(i).status() == BatchItemStatus.PENDING) {
                pending.add(i);
            }
        }
        run.startMs = now;
        run.loadedModel = !job.resourceKey().equals(gpuModel);
        run.leftQueuedWork = run.loadedModel && gpuModel != null
                && waiting.values().stream().anyMatch(other -> other.job.model().equals(gpuModel));
        gpuModel = job.resourceKey();
        log.started(run);
        active = new Active(run, trace.modelOf(run.job), pending);
        startItem(now);
    }

    private void startItem(long now) {
        JobSpec job = active.run.job;
        int index = active.items.get(active.next);
        queue.updateItem(job.id(), itemId(index), BatchItemStatus.RUNNING, null, null);
        ItemOutcomes.Outcome outcome = outcomes.of(jobIndex.get(job.id()), index, active.run.attempt, active.model,
                job.items().get(index));
        boolean withLoad = active.next == 0 && active.run.loadedModel;
        active.itemMs = outcome.ms() + (withLoad ? active.model.loadMs() : 0);
        active.itemFails = outcome.failed();
        active.itemEndMs = now + active.itemMs;
    }

    private void finishItem(long now) {
        JobSpec job = active.run.job;
        int index = active.items.get(active.next);
        SizeBucket bucket = job.items().get(index);
        if (active.itemFails) {
            queue.updateItem(job.id(), itemId(index), BatchItemStatus.FAILED, "simulated failure", active.itemMs);
        } else {
            queue.updateItem(job.id(), itemId(index), BatchItemStatus.COMPLETED, null, active.itemMs);
            seedEstimator.record(job.model(), job.operation(), bucket, active.itemMs);
        }
        active.next++;
        if (active.next < active.items.size()) {
            takeCheckpoints(now);
            startItem(now);
        } else {
            endRun(now);
        }
    }

    /** Estimates at each progress point the run's finished items reach now (the last item is no checkpoint). */
    private void takeCheckpoints(long now) {
        int done = active.next;
        int total = active.items.size();
        JobSpec job = active.run.job;
        for (int i = 0; i < RunResult.PROGRESS.length; i++) {
            if (!active.reached[i] && done * 100L >= RunResult.PROGRESS[i] * (long) total) {
                active.reached[i] = true;
                Long queueMs = boxed(queue.estimateRemainingMs(job.id()));
                List<SizeBucket> left = active.items.subList(done, total).stream().map(job.items()::get).toList();
                long seedMs = seedEstimator.remainingMs(job.model(), job.operation(), left);
                log.checkpoint(new RunLog.Checkpoint(active.run, RunResult.PROGRESS[i], now, queueMs, seedMs));
            }
        }
    }

    private void endRun(long now) {
        JobRun run = active.run;
        active = null;
        BatchCompletionSummary summary = queue.markCompleted(run.job.id());
        run.endMs = now;
        if (summary.failed() > 0 && run.attempt < trace.retryRounds()) {
            queue.retryFailed(run.job.id());
            queued(run.job, run.attempt + 1, now);
        }
    }

    private static Long boxed(java.util.OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    private static String itemId(int index) {
        return "item-" + index;
    }
}

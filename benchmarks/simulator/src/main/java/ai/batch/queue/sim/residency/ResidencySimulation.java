package ai.batch.queue.sim.residency;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.models.ResidencyRules;
import ai.batch.queue.impl.plan.JobPlanner;
import ai.batch.queue.impl.plan.ModelAwarePlanner;
import ai.batch.queue.sim.SimClock;
import ai.batch.queue.sim.policy.FifoPlanner;
import ai.batch.queue.sim.run.BoundWatch;
import ai.batch.queue.sim.run.ItemOutcomes;
import ai.batch.queue.sim.run.Simulation;
import ai.batch.queue.sim.trace.JobSpec;
import ai.batch.queue.sim.trace.ModelSpec;
import ai.batch.queue.sim.trace.Trace;

/**
 * Replays a trace on simulated time against a runtime that holds {@code capacity} models ({@link LruRuntime}):
 * evicting as Ollama does for the runtime alone, least recently used under the queue; for one of three
 * {@link Scheduler}s. The queue is the real {@link CoreBatchQueue}; the
 * GPU runs one item at a time, as in {@link Simulation}.
 *
 * <p>A load occupies the runtime's one loading slot (loads run one after another) and a slot of its capacity, but
 * not the GPU's compute: a preload overlaps the running job's items. A model cannot serve until its load has
 * finished; a job whose model is not ready marks its first item RUNNING at its start and that item ends its load
 * time plus its own time later (a handler loading lazily measures it so).
 *
 * <p>With {@link Scheduler#QUEUE_RESIDENCY} the simulation applies the rules of the queue's {@code ModelResidency}
 * on simulated time (that class runs on a thread of its own with real time, so its rules are restated here):
 * after every event the queue is told the models the runtime has loaded ({@code setResidentModels}); when a job
 * starts and when one of its items finishes, the model of the first planned job of another model
 * ({@code firstQueuedOfAnotherModel}) is loaded ahead if it is not held, the runtime holds two or more models and
 * has room for it besides the running model (else a ready model no job needs is unloaded to make room), and that
 * job's expected start is at most that model's learned {@code loadTimeMs} away (at once while either is unknown);
 * the measured load is recorded with {@code recordLoadTime}. A loaded model with no queued or running
 * job for {@code keepWarmMs} is unloaded (0: never).
 */
public final class ResidencySimulation {

    private record Load(String model, long startMs, long endMs, boolean preload) {
    }

    private static final class Active {
        final JobSpec job;
        final int attempt;
        final ModelSpec model;
        final List<Integer> items;
        int next;
        long runningSinceMs;
        long itemEndMs = -1; // -1: waiting for its model's load
        long itemMs;
        boolean itemFails;

        Active(JobSpec job, int attempt, ModelSpec model, List<Integer> items) {
            this.job = job;
            this.attempt = attempt;
            this.model = model;
            this.items = items;
        }
    }

    private final Trace trace;
    private final Scheduler scheduler;
    private final long keepWarmMs;
    private final ItemOutcomes outcomes;
    private final SimClock clock = new SimClock(Simulation.ORIGIN);
    private final CoreBatchQueue queue;
    private final LruRuntime runtime;
    private final Map<String, Integer> jobIndex = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Map<String, Long> enqueuedAt = new HashMap<>();
    private final Deque<Load> loads = new ArrayDeque<>();
    private final Map<String, Long> idleSince = new HashMap<>();
    private final List<BusyPeriod> periods = new ArrayList<>();
    private final long[] workByJob;
    private BusyPeriod open;
    private Active active;
    private int preloads;
    private long makespanMs;
    private long maxWaitMs;
    private boolean ran;

    /**
     * @param maxWait the model-aware planner's maximum wait (unused by {@link Scheduler#RUNTIME})
     * @param keepWarmMs how long an idle model stays loaded with {@link Scheduler#QUEUE_RESIDENCY}, 0 for ever
     * @param seed draws item times and failures (the same per item for every scheduler)
     */
    public ResidencySimulation(Trace trace, Scheduler scheduler, int capacity, Duration maxWait, long keepWarmMs,
            long seed) {
        this.trace = trace;
        this.scheduler = scheduler;
        this.keepWarmMs = keepWarmMs;
        this.outcomes = new ItemOutcomes(seed);
        // the runtime alone is Ollama serving requests as they come, so it evicts as Ollama does
        this.runtime = new LruRuntime(capacity,
                scheduler == Scheduler.RUNTIME ? LruRuntime.Eviction.OLLAMA : LruRuntime.Eviction.LRU);
        JobPlanner planner = scheduler == Scheduler.RUNTIME ? new FifoPlanner() : new ModelAwarePlanner(maxWait);
        this.queue = new CoreBatchQueue(clock, new BoundWatch(planner, seq -> {
            if (open != null) {
                open.boundBinds = true;
            }
        }), (message, error) -> {
            throw new IllegalStateException(message, error);
        });
        for (int i = 0; i < trace.jobs().size(); i++) {
            jobIndex.put(trace.jobs().get(i).id(), i);
        }
        this.workByJob = new long[trace.jobs().size()];
    }

    /** Runs the whole trace; call once. */
    public ResidencyResult run() {
        if (ran) {
            throw new IllegalStateException("a simulation runs once");
        }
        ran = true;
        List<JobSpec> arrivals = trace.jobs();
        int nextArrival = 0;
        while (nextArrival < arrivals.size() || active != null || queue.queuedCount() > 0) {
            long now = nextArrival < arrivals.size() ? arrivals.get(nextArrival).atMs() : Long.MAX_VALUE;
            if (active != null && active.itemEndMs >= 0) {
                now = Math.min(now, active.itemEndMs);
            }
            if (!loads.isEmpty()) {
                now = Math.min(now, loads.peekFirst().endMs());
            }
            for (long since : idleSince.values()) {
                now = Math.min(now, since + keepWarmMs);
            }
            clock.setMillis(now);
            finishLoads(now);
            boolean considerPreload = false;
            if (active != null && active.itemEndMs == now) {
                finishItem(now);
                considerPreload = true;
            }
            while (nextArrival < arrivals.size() && arrivals.get(nextArrival).atMs() == now) {
                arrive(arrivals.get(nextArrival++), now);
            }
            unloadIdle(now);
            publish();
            if (active == null && startNextJob(now)) {
                considerPreload = true;
                finishLoads(now); // a load of 0 ms
                publish();
            }
            if (considerPreload) {
                considerPreload(now);
            }
            if (active == null && queue.queuedCount() == 0 && open != null) {
                open = null;
            }
        }
        int lb = 0;
        int unboundLoads = 0;
        int unboundLb = 0;
        boolean binds = false;
        for (BusyPeriod period : periods) {
            int bound = period.lowerBound(runtime.capacity());
            lb += bound;
            binds |= period.boundBinds;
            if (!period.boundBinds) {
                unboundLoads += period.loads;
                unboundLb += bound;
            }
        }
        long work = 0;
        for (long ms : workByJob) {
            work += ms;
        }
        return new ResidencyResult(scheduler, runtime.capacity(), runtime.loads(), preloads, lb, unboundLoads,
                unboundLb, binds, makespanMs, work, Bounds.referenceMs(trace, workByJob, runtime.capacity()), maxWaitMs);
    }

    /** @return the runtime (for tests) */
    LruRuntime runtime() {
        return runtime;
    }

    // ---- jobs and items

    private void arrive(JobSpec job, long now) {
        List<BatchItem<Object>> items = new ArrayList<>(job.items().size());
        for (int i = 0; i < job.items().size(); i++) {
            items.add(BatchItem.of(itemId(i), null, job.items().get(i)));
        }
        queue.enqueue(BatchJob.of(job.model(), job.operation(), OverwritePolicy.OVERWRITE, items).withId(job.id()));
        attempts.put(job.id(), 0);
        queued(job, now);
    }

    private void queued(JobSpec job, long now) {
        enqueuedAt.put(job.id(), now);
        if (open == null) {
            Set<String> cached = new LinkedHashSet<>(runtime.lruOrder());
            open = new BusyPeriod(now, cached);
            periods.add(open);
        }
        if (open.startMs == now) {
            open.firstInstantModels.add(job.model());
        }
    }

    private boolean startNextJob(long now) {
        Optional<BatchJob<?>> started = queue.executor().startNext(resourceKey -> true);
        if (started.isEmpty()) {
            return false;
        }
        BatchJob<?> job = started.get();
        JobSpec spec = trace.jobs().get(jobIndex.get(job.id()));
        int attempt = attempts.get(job.id());
        if (attempt == 0) {
            maxWaitMs = Math.max(maxWaitMs, now - enqueuedAt.get(job.id()));
        }
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < job.items().size(); i++) {
            if (job.items().get(i).status() == BatchItemStatus.PENDING) {
                pending.add(i);
            }
        }
        open.models.add(spec.model());
        active = new Active(spec, attempt, trace.modelOf(spec), pending);
        String model = spec.model();
        if (!runtime.holds(model)) {
            scheduleLoad(model, now, false);
        }
        runtime.use(model);
        beginItem(now);
        return true;
    }

    /** Marks the next item RUNNING; it is timed once its model is ready. */
    private void beginItem(long now) {
        int index = active.items.get(active.next);
        queue.updateItem(active.job.id(), itemId(index), BatchItemStatus.RUNNING, null, null);
        ItemOutcomes.Outcome outcome = outcomes.of(jobIndex.get(active.job.id()), index, active.attempt,
                active.model, active.job.items().get(index));
        active.runningSinceMs = now;
        active.itemMs = outcome.ms();
        active.itemFails = outcome.failed();
        workByJob[jobIndex.get(active.job.id())] += outcome.ms();
        active.itemEndMs = runtime.isReady(active.model.name()) ? now + outcome.ms() : -1;
    }

    private void finishItem(long now) {
        JobSpec job = active.job;
        int index = active.items.get(active.next);
        long measured = now - active.runningSinceMs;
        queue.updateItem(job.id(), itemId(index), active.itemFails ? BatchItemStatus.FAILED
                : BatchItemStatus.COMPLETED, active.itemFails ? "simulated failure" : null, measured);
        runtime.use(job.model());
        active.next++;
        if (active.next < active.items.size()) {
            beginItem(now);
            return;
        }
        int attempt = active.attempt;
        active = null;
        makespanMs = Math.max(makespanMs, now);
        if (queue.markCompleted(job.id()).failed() > 0 && attempt < trace.retryRounds()) {
            queue.retryFailed(job.id());
            attempts.put(job.id(), attempt + 1);
            queued(job, now);
        }
    }

    // ---- the runtime's loads

    private void scheduleLoad(String model, long now, boolean preload) {
        long start = loads.isEmpty() ? now : Math.max(now, loads.peekLast().endMs());
        Set<String> pinned = new HashSet<>();
        loads.forEach(load -> pinned.add(load.model()));
        if (active != null) {
            pinned.add(active.model.name());
        }
        runtime.beginLoad(model, pinned);
        loads.addLast(new Load(model, start, start + trace.models().get(model).loadMs(), preload));
        open.loads++;
        if (preload) {
            preloads++;
        }
    }

    /** Makes the models whose load has ended ready; a job waiting for one starts its first item. */
    private void finishLoads(long now) {
        while (!loads.isEmpty() && loads.peekFirst().endMs() <= now) {
            Load load = loads.removeFirst();
            runtime.finishLoad(load.model());
            if (load.preload()) {
                queue.admin().recordLoadTime(load.model(), load.endMs() - load.startMs());
            }
            if (active != null && active.itemEndMs < 0 && active.model.name().equals(load.model())) {
                active.itemEndMs = now + active.itemMs;
            }
        }
    }

    // ---- the residency rules (QUEUE_RESIDENCY only)

    private void publish() {
        if (scheduler == Scheduler.QUEUE_RESIDENCY) {
            queue.admin().setResidentModels(runtime.readyModels());
        }
    }

    /** ModelResidency.considerPreload on simulated time, deciding through {@link ResidencyRules}. */
    private void considerPreload(long now) {
        if (scheduler != Scheduler.QUEUE_RESIDENCY || active == null || runtime.capacity() < 2) {
            return;
        }
        String current = active.model.name();
        Optional<BatchJob<?>> next = queue.admin().firstQueuedOfAnotherModel(current, ResidencyRules.LOOK_AHEAD);
        if (next.isEmpty() || runtime.holds(next.get().resourceKey())) {
            return;
        }
        String model = next.get().resourceKey();
        Instant start = queue.estimate(next.get().id()).map(BatchEstimate::expectedStart).orElse(null);
        if (ResidencyRules.preloadInMs(queue.admin().loadTimeMs(model),
                start == null ? null : clock.toMillis(start) - now) > 0) {
            return; // not yet
        }
        if (!hasRoom(current) && !madeRoom(current)) {
            return; // no room for the running model and the next
        }
        scheduleLoad(model, now, true);
    }

    private boolean hasRoom(String current) {
        Set<String> held = new HashSet<>(runtime.lruOrder());
        held.add(current);
        return ResidencyRules.hasRoom(held, runtime.capacity());
    }

    /** ModelResidency.madeRoom: unloads a ready model no queued or running job needs. */
    private boolean madeRoom(String current) {
        Set<String> busy = queue.admin().modelsWithWork();
        for (String model : runtime.lruOrder()) {
            if (runtime.isReady(model) && ResidencyRules.mayGoForRoom(model, current, busy, true)) {
                runtime.unload(model);
                idleSince.remove(model);
                return hasRoom(current);
            }
        }
        return false;
    }

    /** ModelResidency.unloadIdle on simulated time: exact, where the real one looks every few seconds. */
    private void unloadIdle(long now) {
        if (scheduler != Scheduler.QUEUE_RESIDENCY || keepWarmMs == 0) {
            return;
        }
        Set<String> busy = queue.admin().modelsWithWork();
        idleSince.keySet().removeIf(model -> busy.contains(model) || !runtime.isReady(model));
        for (String model : runtime.lruOrder()) {
            if (busy.contains(model) || !runtime.isReady(model)
                    || active != null && active.model.name().equals(model)) {
                continue;
            }
            long since = idleSince.computeIfAbsent(model, m -> now);
            if (ResidencyRules.idleDue(now - since, keepWarmMs)) {
                runtime.unload(model);
                idleSince.remove(model);
            }
        }
    }

    // ---- bounds

    private static String itemId(int index) {
        return "item-" + index;
    }
}

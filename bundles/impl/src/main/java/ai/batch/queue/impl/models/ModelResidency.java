package ai.batch.queue.impl.models;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.osgi.service.log.Logger;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.QueueAdmin;
import ai.batch.queue.impl.models.LifecycleRegistry.Registration;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * Steers which models the runtimes hold, through their {@link ai.batch.queue.handler.ModelLifecycle} services:
 * tells the plan which models are loaded, loads the next planned model ahead while the current job still runs
 * (when the runtime has room for both, unloading a model no job needs to make that room), unloads models that
 * have had no work for {@code models.keepWarmMs}, and releases them on pause when asked to.
 *
 * <p>Decisions run on one thread of its own ({@code <prefix>-models}); the queue's notifications only hand work
 * to it. Lifecycle calls run with a deadline ({@link LifecycleCalls}); one that fails or hangs is logged and the
 * queue goes on, the handler then loading its model lazily.
 */
public final class ModelResidency implements QueueListener, AutoCloseable {

    static final String PRELOAD = "preload";
    static final String IDLE = "idle";
    static final String PAUSED = "paused";
    static final String ROOM = "room";
    /** How often a preload that is not due yet is looked at again while nothing else happens (a long call). */
    static final long RECHECK_MS = 1_000;

    private final BatchQueue queue;
    private final QueueAdmin admin;
    private final LifecycleRegistry lifecycles;
    private final ModelEvents events;
    private final Logger logger;
    private final ScheduledExecutorService thread;
    private final LifecycleCalls calls;
    private volatile QueueSettings settings;
    private ScheduledFuture<?> ticks;
    private long tickMs;
    // Touched on the models thread only:
    private final Map<String, Registration> loaded = new HashMap<>();
    private final Map<String, Long> idleSinceNanos = new HashMap<>();
    private final Set<String> servedByQueue = new HashSet<>();
    private final Set<String> recheckPending = new HashSet<>();
    private Set<String> published = Set.of();
    private final SlotResidents slotResidents = new SlotResidents();
    private volatile Function<String, Set<String>> slotsRunning = jobId -> Set.of();
    // Touched on the queue's event thread (and read on the models thread):
    private final Map<String, String> runningModels = new ConcurrentHashMap<>();
    private final Set<String> waitingLooks = ConcurrentHashMap.newKeySet();

    public ModelResidency(BatchQueue queue, QueueAdmin admin, LifecycleRegistry lifecycles, ModelEvents events,
            QueueSettings settings, Logger logger) {
        this.queue = queue;
        this.admin = admin;
        this.lifecycles = lifecycles;
        this.events = events;
        this.logger = logger;
        this.settings = settings;
        String name = settings.threadNamePrefix() + "-models";
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread models = new Thread(task, name);
            models.setDaemon(true);
            return models;
        });
        this.calls = new LifecycleCalls(name + "-call", settings.lifecycleTimeoutMs());
        schedule(settings);
    }

    /** Applies new settings. */
    public void update(QueueSettings next) {
        settings = next;
        calls.setTimeoutMs(next.lifecycleTimeoutMs());
        schedule(next);
    }

    private synchronized void schedule(QueueSettings next) {
        long period = next.keepWarmMs() == 0 ? 5_000 : Math.max(50, Math.min(5_000, next.keepWarmMs() / 4));
        if (ticks != null && period == tickMs) {
            return;
        }
        if (ticks != null) {
            ticks.cancel(false);
        }
        tickMs = period;
        ticks = thread.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects the slots: {@code residents} hears, after each look and only when it changed, which models each
     * slot's runtime holds (by slot name, from lifecycle services with {@code ai.batch.slot}; on the models
     * thread); {@code running} says which slots run a job, so a preload goes to a runtime beside it.
     */
    public void connectSlots(Consumer<Map<String, Set<String>>> residents, Function<String, Set<String>> running) {
        slotResidents.listen(residents);
        slotsRunning = running;
        submit(() -> residents.accept(slotResidents.published())); // what a look made before it was connected
    }

    /** A lifecycle service came or went: look at what is loaded again. */
    public void lifecyclesChanged() {
        submit(this::refresh);
    }

    // ---- notifications (on the queue's event thread): hand over, never block

    @Override
    public void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
        runningModels.put(job.id(), job.resourceKey());
        if (lifecycles.all().isEmpty()) {
            return; // no runtime to steer: nothing to hand over per job
        }
        submit(() -> {
            servedByQueue.add(job.resourceKey());
            considerPreload(job.id(), job.resourceKey()); // first: the next load should overlap this whole job
            refresh();
        });
    }

    /**
     * Looks again whether to preload. At most one look per job waits for the models thread: an item that ends
     * while one waits hands nothing over (the waiting look reads the queue as it is when it runs), so a stream
     * of quick items costs the queue's event thread no more than a set lookup.
     */
    @Override
    public void itemFinished(ItemProgress progress) {
        String jobId = progress.jobId();
        String model = runningModels.get(jobId);
        if (!settings.preload() || model == null || lifecycles.all().isEmpty() || !waitingLooks.add(jobId)) {
            return;
        }
        submit(() -> {
            waitingLooks.remove(jobId); // an item ending from now on asks for another look
            considerPreload(jobId, model);
        });
    }

    @Override
    public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
        forget(summary.jobId());
        if (!lifecycles.all().isEmpty() || !loaded.isEmpty()) {
            submit(this::tick);
        }
    }

    @Override
    public void jobQueued(BatchJob<?> job, QueuedCause cause) {
        forget(job.id()); // a running job put back in the queue
    }

    @Override
    public void jobCancelled(BatchJob<?> job, boolean wasRunning) {
        forget(job.id());
    }

    private void forget(String jobId) {
        runningModels.remove(jobId);
        waitingLooks.remove(jobId);
    }

    @Override
    public void paused() {
        if (settings.releaseOnPause()) {
            submit(this::releaseAll);
        }
    }

    private void submit(Runnable work) {
        try {
            thread.execute(() -> guarded(work));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing: nothing more to steer
        }
    }

    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            logger.error("Steering the loaded models failed; the queue goes on", e);
        }
    }

    // ---- decisions (on the models thread)

    private void tick() {
        guarded(() -> {
            refresh();
            unloadIdle();
        });
    }

    /** Asks every lifecycle service what it holds; a service that does not answer keeps what was known. */
    private void refresh() {
        List<Registration> registrations = lifecycles.all();
        Map<String, Registration> now = new HashMap<>();
        for (Registration registration : registrations) {
            LifecycleCalls.Outcome<List<LoadedModel>> listed = calls.call(registration.name(), "list loaded models",
                    null, registration.lifecycle()::loadedModels);
            if (listed.ok() && listed.value() != null) {
                listed.value().forEach(model -> now.put(model.resourceKey(), registration));
                slotResidents.listed(registration, listed.value());
            } else {
                logger.warn("{}", listed.ok() ? "A model lifecycle service listed no models (null)" : listed.error());
                loaded.forEach((model, owner) -> {
                    if (owner.serviceId() == registration.serviceId()) {
                        now.put(model, owner);
                    }
                });
            }
        }
        loaded.clear();
        loaded.putAll(now);
        publish();
        slotResidents.publish(registrations);
    }

    private void publish() {
        Set<String> models = Set.copyOf(loaded.keySet());
        if (!models.equals(published)) {
            published = models;
            admin.setResidentModels(models);
        }
    }

    /**
     * Loads the next planned model of another kind now if the work planned before it ends sooner than that model
     * would take to load plus a margin (at once while its load time is not known). When it is not due yet, it is
     * looked at again on a timer, so a job that is one long call (a micro-batch, a slow item) still gets its
     * preload in time.
     */
    private void considerPreload(String runningJobId, String current) {
        if (!settings.preload() || queue.isPaused() || !runningModels.containsKey(runningJobId)) {
            return;
        }
        Optional<BatchJob<?>> next = admin.firstQueuedOfAnotherModel(current, ResidencyRules.LOOK_AHEAD);
        if (next.isEmpty()) {
            return;
        }
        String model = next.get().resourceKey();
        Optional<Registration> lifecycle = lifecycles.selectBeside(model, slotsRunning.apply(runningJobId));
        if (loaded.containsKey(model) || lifecycle.isEmpty()
                || Math.max(1, lifecycle.get().lifecycle().capacity()) < 2) {
            return;
        }
        Instant start = queue.estimate(next.get().id()).map(BatchEstimate::expectedStart).orElse(null);
        long dueInMs = ResidencyRules.preloadInMs(admin.loadTimeMs(model),
                start == null ? null : Duration.between(Instant.now(), start).toMillis());
        if (dueInMs > 0) { // not yet: loading now would hold both models longer than needed
            recheck(runningJobId, current, dueInMs);
            return;
        }
        if (hasRoom(lifecycle.get(), current) || madeRoom(lifecycle.get(), current)) {
            load(model, lifecycle.get());
        }
    }

    /** Looks at the preload again when it may be due, or after {@link #RECHECK_MS}; one pending look per job. */
    private void recheck(String runningJobId, String current, long dueInMs) {
        if (!recheckPending.add(runningJobId)) {
            return;
        }
        try {
            thread.schedule(() -> guarded(() -> {
                recheckPending.remove(runningJobId);
                considerPreload(runningJobId, current);
            }), Math.max(50, Math.min(dueInMs, RECHECK_MS)), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing: nothing more to steer
        }
    }

    /**
     * Unloads a model the queue used that no queued or running job needs, to make room for the next one (the
     * runtime would evict one anyway to load it, later and in the way of the work).
     */
    private boolean madeRoom(Registration lifecycle, String current) {
        Set<String> busy = admin.modelsWithWork();
        for (Map.Entry<String, Registration> entry : Map.copyOf(loaded).entrySet()) {
            String model = entry.getKey();
            boolean spare = entry.getValue().serviceId() == lifecycle.serviceId()
                    && ResidencyRules.mayGoForRoom(model, current, busy, servedByQueue.contains(model));
            if (spare && unload(model, ROOM)) {
                return hasRoom(lifecycle, current);
            }
        }
        return false;
    }

    /** Whether the runtime holds fewer models than it has room for, counting the running one. */
    private boolean hasRoom(Registration lifecycle, String current) {
        Set<String> held = new HashSet<>();
        loaded.forEach((model, owner) -> {
            if (owner.serviceId() == lifecycle.serviceId()) {
                held.add(model);
            }
        });
        if (lifecycle.serves(current)) {
            held.add(current);
        }
        return ResidencyRules.hasRoom(held, lifecycle.lifecycle().capacity());
    }

    private void load(String model, Registration lifecycle) {
        servedByQueue.add(model);
        events.loading(model, PRELOAD, lifecycle.slot());
        LifecycleCalls.Outcome<Object> outcome = calls.call(lifecycle.name(), "load", model, () -> {
            lifecycle.lifecycle().load(model);
            return null;
        });
        if (outcome.ok()) {
            loaded.put(model, lifecycle);
            admin.recordLoadTime(model, outcome.durationMs());
            publish();
            logger.info("Preloaded model '{}' in {} ms", model, outcome.durationMs());
        } else {
            logger.error("{}; the handler loads it when its job starts", outcome.error());
        }
        events.loaded(model, PRELOAD, outcome.durationMs(), outcome.error(), lifecycle.slot());
    }

    /** Unloads the models the queue used that have had no queued or running job for {@code keepWarmMs}. */
    private void unloadIdle() {
        long keepWarmMs = settings.keepWarmMs();
        Set<String> busy = admin.modelsWithWork();
        servedByQueue.addAll(busy);
        idleSinceNanos.keySet().removeIf(model -> busy.contains(model) || !loaded.containsKey(model));
        if (keepWarmMs == 0) {
            return;
        }
        long now = System.nanoTime();
        for (String model : Set.copyOf(loaded.keySet())) {
            if (busy.contains(model) || !servedByQueue.contains(model)) {
                continue;
            }
            long since = idleSinceNanos.computeIfAbsent(model, m -> now);
            if (ResidencyRules.idleDue(TimeUnit.NANOSECONDS.toMillis(now - since), keepWarmMs)) {
                unload(model, IDLE);
            }
        }
    }

    private void releaseAll() {
        for (String model : Set.copyOf(loaded.keySet())) {
            if (servedByQueue.contains(model)) {
                unload(model, PAUSED);
            }
        }
    }

    /** @return whether the model was unloaded */
    private boolean unload(String model, String reason) {
        Registration lifecycle = loaded.get(model);
        LifecycleCalls.Outcome<Object> outcome = calls.call(lifecycle.name(), "unload", model, () -> {
            lifecycle.lifecycle().unload(model);
            return null;
        });
        if (outcome.ok()) {
            loaded.remove(model);
            idleSinceNanos.remove(model);
            publish();
            logger.info("Unloaded model '{}' ({})", model, reason);
        } else {
            idleSinceNanos.put(model, System.nanoTime()); // tried again after another keep-warm time
            logger.error("{}", outcome.error());
        }
        events.unloaded(model, reason, outcome.error(), lifecycle.slot());
        return outcome.ok();
    }

    /** Waits (at most 10 s) until the models thread has done everything handed to it so far. */
    void sync() throws Exception {
        thread.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        calls.close();
    }
}

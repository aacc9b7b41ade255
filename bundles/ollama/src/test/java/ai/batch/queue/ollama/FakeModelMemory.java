package ai.batch.queue.ollama;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fake Ollama's scheduler, restating the rules of Ollama's {@code server/sched.go}, since the numbers measured
 * against the fake are only worth what these rules are:
 * <ul>
 * <li>A request for a model that is loaded with the same load options is served at once (it takes a reference on
 * the runner), even if that runner is marked to be unloaded; every other request joins one pending queue, served
 * strictly in arrival order, one at a time: a request waiting for a load or an eviction holds up the ones behind
 * it.</li>
 * <li>With {@link #maxLoadedModels} runners loaded, a load first picks a runner to unload: runners sorted by their
 * keep_alive (shortest first), then by name (Ollama sorts by blob path: a fixed, arbitrary order); the first idle
 * one, or, with none idle, the first one. Its keep_alive is set to 0, so it goes as soon as it is idle; a
 * request for it that arrives before that is still served and sets its keep_alive again (then the load waits for
 * that keep_alive to run out, as in Ollama).</li>
 * <li>A runner that goes leaves the list at once; its memory is free {@link #unloadTime} later, and only then
 * does the waiting load start. Loads run one at a time and take {@link #loadTime}.</li>
 * <li>An unload request (keep_alive 0) is answered at once; the runner goes once idle.</li>
 * <li>An idle runner expires its keep_alive after its last request (negative: never); each request sets it.</li>
 * <li>A runner serves {@link #numParallel} requests at once ({@code OLLAMA_NUM_PARALLEL}); the others wait.</li>
 * </ul>
 */
final class FakeModelMemory {

    /** The options that decide how a model is loaded; a change reloads it, as in Ollama. */
    static final Set<String> LOAD_OPTIONS = Set.of("num_ctx", "num_gpu", "num_batch", "main_gpu", "use_mmap",
            "num_thread");

    /** A loaded model as {@code /api/ps} shows it; {@code expiresAt} null for never. */
    record Loaded(String name, Instant expiresAt) {
    }

    /** One loaded (or loading) model. Guarded by the memory's monitor. */
    static final class Runner {
        final String name;
        final JsonNode loadOptions;
        final CountDownLatch ready = new CountDownLatch(1);
        final Semaphore slots;
        Duration keepAlive;
        int refCount;
        boolean freed; // gone from the list and its memory given back
        Instant idleSince = Instant.now();

        Runner(String name, JsonNode loadOptions, Duration keepAlive, int parallel) {
            this.name = name;
            this.loadOptions = loadOptions;
            this.keepAlive = keepAlive;
            this.slots = new Semaphore(Math.max(1, parallel), true);
        }
    }

    /** A request's hold on a runner: release it once the answer is out. */
    record Lease(Runner runner, long loadNanos) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Runner> loaded = new HashMap<>();
    private final ReentrantLock pending = new ReentrantLock(true); // Ollama's pending queue: arrival order
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicInteger evictions = new AtomicInteger();
    private final ScheduledExecutorService unloader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-ollama-unloader");
        t.setDaemon(true);
        return t;
    });
    private final Supplier<Duration> loadTime;
    private final Supplier<Duration> unloadTime;
    private final IntSupplier maxLoadedModels;
    private final IntSupplier numParallel;
    private final CountDownLatch stopped;

    /**
     * @param loadTime how long a load takes
     * @param unloadTime how long freeing a runner's memory takes
     * @param maxLoadedModels how many runners fit ({@code OLLAMA_MAX_LOADED_MODELS}, or what the memory holds)
     * @param numParallel requests a runner serves at once ({@code OLLAMA_NUM_PARALLEL})
     * @param stopped counted down when the server stops: a load or a wait in progress ends then
     */
    FakeModelMemory(Supplier<Duration> loadTime, Supplier<Duration> unloadTime, IntSupplier maxLoadedModels,
            IntSupplier numParallel, CountDownLatch stopped) {
        this.loadTime = loadTime;
        this.unloadTime = unloadTime;
        this.maxLoadedModels = maxLoadedModels;
        this.numParallel = numParallel;
        this.stopped = stopped;
    }

    int loads() {
        return loads.get();
    }

    /** Runners unloaded to make room for another model. */
    int evictions() {
        return evictions.get();
    }

    synchronized Set<String> loadedNames() {
        purgeExpired();
        return Set.copyOf(loaded.keySet());
    }

    /** What {@code /api/ps} lists: longest remaining keep_alive first, as Ollama sorts it. */
    synchronized List<Loaded> loadedModels() {
        purgeExpired();
        List<Loaded> list = new ArrayList<>();
        for (Runner runner : loaded.values()) {
            list.add(new Loaded(runner.name, expiresAt(runner)));
        }
        list.sort(Comparator.comparing(Loaded::expiresAt, Comparator.nullsFirst(Comparator.reverseOrder())));
        return list;
    }

    /**
     * Gets the model's runner for one request, loading it (after an eviction if needed) in the pending queue's
     * order; then waits for one of the runner's parallel slots.
     *
     * @param keepAlive the request's keep_alive, or null when it gave none (the runner keeps its own)
     */
    Lease acquire(String model, JsonNode options, Duration keepAlive) throws InterruptedException {
        JsonNode loadOptions = loadOptions(options);
        Runner runner = useLoaded(model, loadOptions, keepAlive);
        long loadNanos = 150_000; // a warm model still takes a moment
        if (runner == null) {
            long start = System.nanoTime();
            runner = scheduled(model, loadOptions, keepAlive);
            loadNanos = System.nanoTime() - start;
        }
        awaitStopping(runner.ready);
        runner.slots.acquire();
        return new Lease(runner, loadNanos);
    }

    /** The request is done with its runner: an idle runner starts its keep_alive, or goes if marked to. */
    void release(Lease lease) {
        Runner runner = lease.runner();
        runner.slots.release();
        synchronized (this) {
            runner.refCount--;
            if (runner.refCount <= 0) {
                runner.idleSince = Instant.now();
                if (runner.keepAlive.isZero()) {
                    remove(runner);
                }
            }
        }
    }

    /** An unload request: answered at once; the runner goes once idle, a moment later. */
    synchronized void expire(String model) {
        Runner runner = loaded.get(model);
        if (runner != null) {
            runner.keepAlive = Duration.ZERO;
            if (runner.refCount <= 0) {
                remove(runner);
            }
        }
    }

    void close() {
        unloader.shutdownNow();
    }

    /** Ollama's {@code getRunner}: a loaded runner with the same options serves at once. */
    private synchronized Runner useLoaded(String model, JsonNode loadOptions, Duration keepAlive) {
        purgeExpired();
        Runner runner = loaded.get(model);
        if (runner == null || !runner.loadOptions.equals(loadOptions)) {
            return null;
        }
        runner.refCount++;
        if (keepAlive != null) {
            runner.keepAlive = keepAlive;
        }
        return runner;
    }

    /** Ollama's {@code processPending}: one request at a time, in arrival order, until it has a runner. */
    private Runner scheduled(String model, JsonNode loadOptions, Duration keepAlive) throws InterruptedException {
        pending.lockInterruptibly();
        try {
            Runner fresh;
            synchronized (this) {
                while (true) {
                    purgeExpired();
                    Runner runner = loaded.get(model);
                    Runner victim;
                    if (runner != null && runner.loadOptions.equals(loadOptions)) {
                        runner.refCount++;
                        if (keepAlive != null) {
                            runner.keepAlive = keepAlive;
                        }
                        return runner;
                    } else if (runner != null) {
                        victim = runner; // a reload: other load options
                    } else if (loaded.size() >= Math.max(1, maxLoadedModels.getAsInt())) {
                        victim = runnerToUnload();
                        evictions.incrementAndGet();
                    } else {
                        fresh = new Runner(model, loadOptions, keepAlive == null ? Duration.ofMinutes(5) : keepAlive,
                                numParallel.getAsInt());
                        fresh.refCount = 1;
                        loaded.put(model, fresh);
                        break;
                    }
                    victim.keepAlive = Duration.ZERO;
                    if (victim.refCount <= 0) {
                        remove(victim);
                    }
                    while (!victim.freed) { // the queue waits for the unload
                        if (stopped.getCount() == 0) {
                            throw new InterruptedException("the server stopped");
                        }
                        wait(100);
                        purgeExpired();
                    }
                }
            }
            stopped.await(loadTime.get().toNanos(), TimeUnit.NANOSECONDS); // loading, unless the server stops
            loads.incrementAndGet();
            fresh.ready.countDown();
            return fresh;
        } finally {
            pending.unlock();
        }
    }

    /** Ollama's {@code findRunnerToUnload}: by keep_alive, then name; an idle one first. */
    private Runner runnerToUnload() {
        List<Runner> runners = new ArrayList<>(loaded.values());
        runners.sort(Comparator.comparing((Runner r) -> r.keepAlive.isNegative() ? Long.MAX_VALUE
                : r.keepAlive.toNanos()).thenComparing(r -> r.name));
        for (Runner runner : runners) {
            if (runner.refCount <= 0) {
                return runner;
            }
        }
        return runners.get(0);
    }

    /** An idle runner goes: off the list at once, its memory free a moment later. Caller holds the monitor. */
    private void remove(Runner runner) {
        if (loaded.get(runner.name) != runner) {
            return;
        }
        loaded.remove(runner.name);
        try {
            unloader.schedule(() -> freed(runner), unloadTime.get().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            runner.freed = true; // the server is stopping
        }
    }

    private synchronized void freed(Runner runner) {
        runner.freed = true;
        notifyAll();
    }

    private void purgeExpired() {
        Instant now = Instant.now();
        for (Runner runner : List.copyOf(loaded.values())) {
            Instant expires = expiresAt(runner);
            if (runner.refCount <= 0 && runner.ready.getCount() == 0 && expires != null && expires.isBefore(now)) {
                remove(runner);
            }
        }
    }

    private static Instant expiresAt(Runner runner) {
        if (runner.keepAlive.isNegative()) {
            return null;
        }
        Instant from = runner.refCount > 0 ? Instant.now() : runner.idleSince;
        return from.plus(runner.keepAlive);
    }

    private void awaitStopping(CountDownLatch latch) throws InterruptedException {
        while (!latch.await(50, TimeUnit.MILLISECONDS)) {
            if (stopped.getCount() == 0) {
                throw new InterruptedException("the server stopped");
            }
        }
    }

    private JsonNode loadOptions(JsonNode options) {
        ObjectNode relevant = json.createObjectNode();
        options.properties().forEach(e -> {
            if (LOAD_OPTIONS.contains(e.getKey())) {
                relevant.set(e.getKey(), e.getValue());
            }
        });
        return relevant;
    }
}

package ai.batch.queue.sim.residency;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A model runtime that holds at most {@code capacity} models (like Ollama with {@code OLLAMA_MAX_LOADED_MODELS}):
 * loading a model when it is full evicts a model that is not pinned (a model in use or being loaded): the least
 * recently used one ({@link Eviction#LRU}), or, as Ollama's scheduler does ({@code findRunnerToUnload} in its
 * {@code server/sched.go}), the first idle one in a fixed order, by keep_alive and then by model file, whichever
 * was used last ({@link Eviction#OLLAMA}; every model here has the same keep_alive, so the order is the name's). A model being loaded takes its slot from the start of its load but cannot serve until the load
 * has finished. Single-threaded; time is kept by the caller.
 */
public final class LruRuntime {

    /** Which model a full runtime evicts. */
    public enum Eviction { LRU, OLLAMA }

    private final int capacity;
    private final Eviction eviction;
    /** Held models, least recently used first (being loaded included). */
    private final LinkedHashSet<String> held = new LinkedHashSet<>();
    private final Set<String> ready = new LinkedHashSet<>();
    private int loads;

    public LruRuntime(int capacity) {
        this(capacity, Eviction.LRU);
    }

    public LruRuntime(int capacity, Eviction eviction) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.eviction = eviction;
    }

    public int capacity() {
        return capacity;
    }

    /** @return whether the model is loaded or being loaded */
    public boolean holds(String model) {
        return held.contains(model);
    }

    /** @return whether the model is loaded and can serve */
    public boolean isReady(String model) {
        return ready.contains(model);
    }

    /** Marks a held model as the most recently used. */
    public void use(String model) {
        if (held.remove(model)) {
            held.add(model);
        }
    }

    /**
     * Starts loading a model that the runtime does not hold; when full, first evicts the least recently used
     * model that is ready and not pinned.
     *
     * @param pinned models that must not be evicted (in use, or being loaded)
     * @return the evicted model, or {@code null}
     * @throws IllegalStateException if the runtime already holds it, or is full of pinned models
     */
    public String beginLoad(String model, Collection<String> pinned) {
        if (held.contains(model)) {
            throw new IllegalStateException("'" + model + "' is already held");
        }
        String evicted = null;
        if (held.size() >= capacity) {
            evicted = held.stream().filter(ready::contains).filter(candidate -> !pinned.contains(candidate))
                    .sorted(eviction == Eviction.OLLAMA ? Comparator.naturalOrder() : (x, y) -> 0)
                    .findFirst().orElseThrow(() -> new IllegalStateException("no room to load '" + model
                            + "': every held model is pinned " + held));
            unload(evicted);
        }
        held.add(model);
        loads++;
        return evicted;
    }

    /** The load of a held model has finished: it can serve. */
    public void finishLoad(String model) {
        if (!held.contains(model)) {
            throw new IllegalStateException("'" + model + "' is not being loaded");
        }
        ready.add(model);
    }

    /** Unloads a model (no effect if not held). */
    public void unload(String model) {
        held.remove(model);
        ready.remove(model);
    }

    /** @return the models that are loaded and can serve */
    public Set<String> readyModels() {
        return Set.copyOf(ready);
    }

    /** @return the held models, least recently used first, being loaded included */
    public List<String> lruOrder() {
        return new ArrayList<>(held);
    }

    /** @return how many models are held, being loaded included */
    public int size() {
        return held.size();
    }

    /** @return loads started so far */
    public int loads() {
        return loads;
    }
}

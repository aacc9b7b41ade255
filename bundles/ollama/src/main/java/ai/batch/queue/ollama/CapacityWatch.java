package ai.batch.queue.ollama;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ai.batch.queue.handler.LoadedModel;

/**
 * Notices a configured {@code capacity} above what the server really holds. Ollama evicts a model to make room
 * for a load (past {@code OLLAMA_MAX_LOADED_MODELS}, or when memory runs out) and says nothing; a queue that
 * believes there is room then preloads into a full server, each preload evicting the model at work, which
 * reloads for its next item: more loads than with no queue at all. So every load compares {@code /api/ps}
 * before and after: a model that was there (or the one just loaded), did not expire and was not unloaded by us,
 * but is gone after our load, was evicted, for our load or for the model our load evicted, which came back at
 * once; either way the server holds no more models than it lists now. The capacity is lowered to
 * that (never raised again: a new configuration starts afresh), and while the server is that full no further
 * load is sent. Thread-safe.
 */
final class CapacityWatch {

    /** What a load found out. */
    record Finding(List<String> evicted, int from, int to) {
    }

    private final int configured;
    private final Set<String> unloadedByUs = ConcurrentHashMap.newKeySet();
    private volatile int effective;
    private volatile String lastEviction;

    CapacityWatch(int configured) {
        this.configured = configured;
        this.effective = configured;
    }

    int capacity() {
        return effective;
    }

    boolean lowered() {
        return effective < configured;
    }

    /** Our own unload: its model leaving is not an eviction. */
    void unloading(String model) {
        unloadedByUs.add(model);
    }

    /**
     * Before a load: once an eviction has been seen, a load into a server that holds its (lowered) capacity
     * already would evict again.
     *
     * @return why the load must not be sent, or null
     */
    String refusal(String model, List<LoadedModel> before) {
        if (before == null || !lowered()) {
            return null;
        }
        Set<String> held = names(before);
        held.remove(model);
        held.removeAll(unloadedByUs);
        if (held.size() < effective) {
            return null;
        }
        return "not loading " + model + ": the server holds " + effective + " model(s) at once (" + lastEviction
                + "), not the configured capacity " + configured + ", and holds " + held + " now";
    }

    /**
     * After a load: the models that left during it, the loaded one included.
     *
     * @return what changed when the capacity was lowered now, or null
     */
    Finding afterLoad(String model, List<LoadedModel> before, List<LoadedModel> after) {
        unloadedByUs.remove(model);
        if (before == null || after == null) {
            return null;
        }
        Set<String> now = names(after);
        Instant moment = Instant.now();
        List<String> evicted = new ArrayList<>(before.stream()
                .filter(m -> !now.contains(m.resourceKey()) && !m.resourceKey().equals(model)
                        && !unloadedByUs.contains(m.resourceKey())
                        && (m.expiresAt() == null || m.expiresAt().isAfter(moment)))
                .map(LoadedModel::resourceKey).toList());
        if (!now.contains(model)) {
            evicted.add(model); // gone already: evicted for the model it had pushed out
        }
        unloadedByUs.retainAll(now); // those unloads are done
        int holds = Math.max(1, now.size());
        if (evicted.isEmpty() || holds >= effective) {
            return null;
        }
        synchronized (this) {
            int from = effective;
            if (holds >= from) {
                return null;
            }
            effective = holds;
            lastEviction = "it dropped " + String.join(", ", evicted) + " around the load of " + model;
            return new Finding(evicted, from, holds);
        }
    }

    private static Set<String> names(List<LoadedModel> models) {
        Set<String> names = new HashSet<>();
        models.forEach(m -> names.add(m.resourceKey()));
        return names;
    }
}

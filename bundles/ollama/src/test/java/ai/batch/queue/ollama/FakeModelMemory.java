package ai.batch.queue.ollama;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fake Ollama's model memory, as Ollama's scheduler keeps it: which models are loaded, with which load options
 * and until when; one load at a time, taking the load time; the least recently used model goes first when there is
 * no room.
 */
final class FakeModelMemory {

    /** The options that decide how a model is loaded; a change reloads it, as in Ollama. */
    static final Set<String> LOAD_OPTIONS = Set.of("num_ctx", "num_gpu", "num_batch", "main_gpu", "use_mmap",
            "num_thread");

    private static final Pattern GO_DURATION = Pattern.compile("(-?\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /** A loaded model; {@code expiresAt} null for never. */
    record Loaded(String name, JsonNode loadOptions, Instant expiresAt) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Loaded> loaded = new LinkedHashMap<>(16, 0.75f, true); // access order: LRU first
    private final AtomicInteger loads = new AtomicInteger();
    private final Object loadLock = new Object();
    private final Supplier<Duration> loadTime;
    private final IntSupplier capacity;
    private final CountDownLatch stopped;

    /**
     * @param loadTime how long a load takes
     * @param capacity how many models fit
     * @param stopped counted down when the server stops: a load in progress ends then
     */
    FakeModelMemory(Supplier<Duration> loadTime, IntSupplier capacity, CountDownLatch stopped) {
        this.loadTime = loadTime;
        this.capacity = capacity;
        this.stopped = stopped;
    }

    int loads() {
        return loads.get();
    }

    synchronized Set<String> loadedNames() {
        purgeExpired();
        return Set.copyOf(loaded.keySet());
    }

    synchronized List<Loaded> loadedModels() {
        purgeExpired();
        return List.copyOf(loaded.values());
    }

    /**
     * Loads the model unless it is loaded with the same load options; returns the load time in ns. Loads happen one
     * at a time, as in Ollama's scheduler; a request for a model already loaded does not wait for another load.
     */
    long ensureLoaded(String model, JsonNode options, Duration keepAlive) throws InterruptedException {
        JsonNode loadOptions = loadOptions(options);
        if (touchIfLoaded(model, loadOptions, keepAlive)) {
            return 150_000; // a warm model still takes a moment
        }
        synchronized (loadLock) {
            long start = System.nanoTime();
            if (touchIfLoaded(model, loadOptions, keepAlive)) {
                return 150_000; // loaded by a request that held the lock before this one
            }
            synchronized (this) {
                loaded.remove(model);
                Iterator<String> lru = loaded.keySet().iterator();
                while (loaded.size() >= capacity.getAsInt() && lru.hasNext()) {
                    lru.next();
                    lru.remove();
                }
            }
            stopped.await(loadTime.get().toNanos(), TimeUnit.NANOSECONDS); // loading, unless the server stops
            loads.incrementAndGet();
            synchronized (this) {
                loaded.put(model, new Loaded(model, loadOptions, expiry(keepAlive)));
            }
            return System.nanoTime() - start;
        }
    }

    /** @return whether the model is loaded with these options (it becomes the most recently used) */
    private synchronized boolean touchIfLoaded(String model, JsonNode loadOptions, Duration keepAlive) {
        purgeExpired();
        Loaded current = loaded.get(model);
        if (current == null || !current.loadOptions().equals(loadOptions)) {
            return false;
        }
        loaded.put(model, new Loaded(model, loadOptions, expiry(keepAlive)));
        return true;
    }

    /** The keep_alive of the most recent request wins; 0 unloads once the answer is out. */
    synchronized void afterRequest(String model, Duration keepAlive) {
        Loaded current = loaded.get(model);
        if (current != null) {
            if (keepAlive.isZero()) {
                loaded.remove(model);
            } else {
                loaded.put(model, new Loaded(model, current.loadOptions(), expiry(keepAlive)));
            }
        }
    }

    synchronized void unload(String model) {
        loaded.remove(model);
    }

    private void purgeExpired() {
        Instant now = Instant.now();
        loaded.values().removeIf(model -> model.expiresAt() != null && model.expiresAt().isBefore(now));
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

    private static Instant expiry(Duration keepAlive) {
        return keepAlive.isNegative() ? null : Instant.now().plus(keepAlive);
    }

    /** Ollama's keep_alive: absent 5 minutes, a number of seconds, or a Go duration; negative is forever. */
    static Duration keepAlive(JsonNode value) {
        if (value == null || value.isNull()) {
            return Duration.ofMinutes(5);
        }
        if (value.isNumber()) {
            return Duration.ofMillis((long) (value.asDouble() * 1000));
        }
        String text = value.asText().trim();
        if (text.matches("-?\\d+(\\.\\d+)?")) {
            return Duration.ofMillis((long) (Double.parseDouble(text) * 1000));
        }
        Matcher m = GO_DURATION.matcher(text);
        Duration total = Duration.ZERO;
        while (m.find()) {
            double amount = Double.parseDouble(m.group(1));
            long unitMs = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            total = total.plusMillis((long) (amount * unitMs));
        }
        return total;
    }
}

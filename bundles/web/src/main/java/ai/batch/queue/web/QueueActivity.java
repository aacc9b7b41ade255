package ai.batch.queue.web;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.batch.queue.BatchEvents;

/**
 * What the dashboard learns from the queue's events and the queue does not keep: the model timeline (switches,
 * loads, unloads and their reasons, which models are in memory since when, loads per model), when each item
 * finished (and, from its duration, started), the errors of earlier attempts (a retry clears the item's own), and
 * per-model throughput and ETA accuracy. Everything is bounded; it starts empty when the dashboard starts. Thread-safe; every
 * method is short and never calls out.
 */
final class QueueActivity {

    static final int ITEM_TIMES_KEPT = 10_000;
    static final int JOBS_TRACKED = 1_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final int historySize;
    private final Function<String, Long> remainingEstimate;
    private final Deque<ObjectNode> modelHistory = new ArrayDeque<>();
    private final Map<String, long[]> itemTimes = bounded(ITEM_TIMES_KEPT);
    private final Map<String, JobStart> jobStarts = bounded(JOBS_TRACKED);
    private final Map<String, Deque<ObjectNode>> throughput = new LinkedHashMap<>();
    private final Map<String, Deque<ObjectNode>> etaAccuracy = new LinkedHashMap<>();
    /**
     * Whether the runtime reports loads and unloads (a ModelLifecycle): then only an unload takes a model out of
     * memory, since such a runtime may hold several. Without one, a switch replaces the model before.
     */
    private boolean lifecycle;
    private final Map<String, Long> residentSince = new LinkedHashMap<>();
    private final Map<String, Integer> loads = new LinkedHashMap<>();
    private final Deque<ObjectNode> residency = new ArrayDeque<>();
    private final ItemErrors itemErrors = new ItemErrors(ITEM_TIMES_KEPT);
    private final SlotActivity slots = new SlotActivity();
    private final FleetNodes fleetNodes = new FleetNodes();
    private String currentModel;

    private record JobStart(long startedAtMs, Long predictedMs) {
    }

    /**
     * @param historySize entries kept in the model timeline and per model in each chart
     * @param remainingEstimate the queue's remaining-time estimate of a job at its start, or null when unknown
     */
    QueueActivity(int historySize, Function<String, Long> remainingEstimate) {
        this.historySize = historySize;
        this.remainingEstimate = remainingEstimate;
    }

    /**
     * Takes one queue event. The estimate for a starting job is read before the lock is taken.
     *
     * @param topic the event's topic
     * @param property the event's properties
     * @param nowMs when it arrived
     */
    void accept(String topic, Function<String, Object> property, long nowMs) {
        String jobId = string(property.apply(BatchEvents.JOB_ID));
        Long predicted = BatchEvents.TOPIC_JOB_STARTED.equals(topic) && jobId != null
                ? remainingEstimate.apply(jobId) : null;
        slots.accept(topic, property, nowMs); // its own lock, never held with this one
        synchronized (this) {
            switch (topic) {
                case BatchEvents.TOPIC_JOB_STARTED -> jobStarts.put(jobId, new JobStart(nowMs, predicted));
                case BatchEvents.TOPIC_ITEM_PROGRESS -> itemFinished(jobId, property, nowMs);
                case BatchEvents.TOPIC_ITEM_RETRY -> itemErrors.add(jobId, string(property.apply(BatchEvents.ITEM_ID)),
                        string(property.apply(BatchEvents.ERROR)), (int) number(property.apply(BatchEvents.ATTEMPTS)),
                        nowMs);
                case BatchEvents.TOPIC_JOB_COMPLETED -> jobCompleted(jobId, property, nowMs);
                case BatchEvents.TOPIC_RESOURCE_SWITCHED, BatchEvents.TOPIC_MODEL_LOADING,
                        BatchEvents.TOPIC_MODEL_LOADED, BatchEvents.TOPIC_MODEL_UNLOADED ->
                    modelEvent(topic, property, nowMs);
                default -> {
                    // other topics only go to the browsers
                }
            }
        }
    }

    /** A settled item: it finished now and started its duration earlier (none for a skipped or cancelled one). */
    private void itemFinished(String jobId, Function<String, Object> property, long nowMs) {
        Object duration = property.apply(BatchEvents.DURATION_MS);
        long startedAtMs = duration instanceof Number number && number.longValue() >= 0
                && !"skipped".equals(property.apply(BatchEvents.STATUS))
                && !"cancelled".equals(property.apply(BatchEvents.STATUS)) ? nowMs - number.longValue() : 0;
        itemTimes.put(itemKey(jobId, property), new long[] {startedAtMs, nowMs});
        if ("failed".equals(property.apply(BatchEvents.STATUS))) {
            // kept here because retryFailed clears the item's error: the page still shows what went wrong before
            itemErrors.add(jobId, string(property.apply(BatchEvents.ITEM_ID)),
                    string(property.apply(BatchEvents.ERROR)), 0, nowMs);
        }
    }

    private void jobCompleted(String jobId, Function<String, Object> property, long nowMs) {
        String model = string(property.apply(BatchEvents.RESOURCE_KEY));
        if (model == null) {
            return;
        }
        long processed = number(property.apply(BatchEvents.SUCCEEDED)) + number(property.apply(BatchEvents.FAILED));
        long busyMs = number(property.apply(BatchEvents.TOTAL_DURATION_MS));
        if (processed > 0 && busyMs > 0) {
            ObjectNode point = JSON.objectNode().put("time", Instant.ofEpochMilli(nowMs).toString())
                    .put("jobId", jobId).put("items", processed).put("busyMs", busyMs)
                    .put("itemsPerSecond", processed * 1000.0 / busyMs);
            add(throughput.computeIfAbsent(model, key -> new ArrayDeque<>()), point);
        }
        JobStart start = jobStarts.remove(jobId);
        if (start != null && start.predictedMs() != null && start.predictedMs() > 0
                && !"cancelled".equals(property.apply(BatchEvents.STATUS))) {
            long actualMs = Math.max(1, nowMs - start.startedAtMs());
            ObjectNode point = JSON.objectNode().put("time", Instant.ofEpochMilli(nowMs).toString())
                    .put("jobId", jobId).put("predictedMs", start.predictedMs()).put("actualMs", actualMs)
                    .put("ratio", (double) start.predictedMs() / actualMs);
            add(etaAccuracy.computeIfAbsent(model, key -> new ArrayDeque<>()), point);
        }
    }

    private void modelEvent(String topic, Function<String, Object> property, long nowMs) {
        String model = string(property.apply(BatchEvents.RESOURCE_KEY));
        String error = string(property.apply(BatchEvents.ERROR));
        String kind = topic.substring(topic.indexOf('/') + 1);
        ObjectNode entry = JSON.objectNode().put("time", Instant.ofEpochMilli(nowMs).toString()).put("kind", kind)
                .put("resourceKey", model).put("fromResourceKey", string(property.apply(BatchEvents.FROM_RESOURCE_KEY)))
                .put("reason", string(property.apply(BatchEvents.REASON)))
                .put("jobId", string(property.apply(BatchEvents.JOB_ID))).put("error", error);
        Object duration = property.apply(BatchEvents.DURATION_MS);
        if (duration instanceof Number number) {
            entry.put("durationMs", number.longValue());
        } else {
            entry.putNull("durationMs");
        }
        add(modelHistory, entry);
        if (model == null) {
            return;
        }
        switch (topic) {
            case BatchEvents.TOPIC_RESOURCE_SWITCHED -> {
                currentModel = model;
                resident(model, nowMs);
                // A runtime without a lifecycle reports no unloads: the switch itself replaced the model before.
                String from = string(property.apply(BatchEvents.FROM_RESOURCE_KEY));
                if (from != null && !from.equals(model) && !lifecycle) {
                    gone(from, nowMs);
                }
            }
            case BatchEvents.TOPIC_MODEL_LOADED -> {
                lifecycle = true;
                if (error == null) {
                    resident(model, nowMs);
                }
            }
            case BatchEvents.TOPIC_MODEL_UNLOADED -> {
                lifecycle = true;
                gone(model, nowMs);
                if (model.equals(currentModel)) {
                    currentModel = null;
                }
            }
            default -> lifecycle = true; // loading: nothing is resident yet
        }
    }

    /** A model now in memory: counted as a load unless it was there already. */
    private void resident(String model, long nowMs) {
        if (!residentSince.containsKey(model) && residentSince.size() < JOBS_TRACKED) {
            residentSince.put(model, nowMs);
            loads.merge(model, 1, Integer::sum);
        }
    }

    /** A model out of memory: its stay becomes one bar of the residency chart. */
    private void gone(String model, long nowMs) {
        Long since = residentSince.remove(model);
        if (since != null) {
            add(residency, JSON.objectNode().put("resourceKey", model).put("from", Instant.ofEpochMilli(since).toString())
                    .put("to", Instant.ofEpochMilli(nowMs).toString()));
        }
    }

    /** @return what the dashboard knows of the slots */
    SlotActivity slots() {
        return slots;
    }

    /** @return the fleet's nodes, when this framework is a node of one */
    FleetNodes fleetNodes() {
        return fleetNodes;
    }

    /** @return the model the queue switched to last, unless unloaded since; null when none */
    synchronized String currentModel() {
        return currentModel;
    }

    /**
     * @return the model timeline, oldest first; the current and resident models; loads per model; and
     *         {@code residency}: each model's stays in memory ({@code from}, {@code to}; no {@code to} while it is
     *         still there), oldest first
     */
    synchronized ObjectNode models() {
        ObjectNode node = JSON.objectNode().put("loadedModel", currentModel);
        ArrayNode resident = node.putArray("residentModels");
        residentSince.keySet().forEach(resident::add);
        ObjectNode loadCounts = node.putObject("loads");
        loads.forEach(loadCounts::put);
        ArrayNode stays = node.putArray("residency");
        residency.forEach(entry -> stays.add(entry.deepCopy()));
        residentSince.forEach((model, since) -> stays.addObject().put("resourceKey", model)
                .put("from", Instant.ofEpochMilli(since).toString()).putNull("to"));
        ArrayNode history = node.putArray("history");
        modelHistory.forEach(entry -> history.add(entry.deepCopy()));
        return node;
    }

    /**
     * @return the errors seen for an item, oldest first ({@code time}, {@code attempt} (0 when unknown),
     *         {@code error}); empty when none
     */
    synchronized ArrayNode itemErrors(String jobId, String itemId) {
        return itemErrors.of(jobId, itemId);
    }

    /** @return per model: {@code throughput} and {@code etaAccuracy} points, oldest first */
    synchronized ObjectNode charts() {
        ObjectNode node = JSON.objectNode();
        Set<String> models = new LinkedHashSet<>(throughput.keySet());
        models.addAll(etaAccuracy.keySet());
        for (String model : models) {
            ObjectNode perModel = node.putObject(model);
            ArrayNode speed = perModel.putArray("throughput");
            throughput.getOrDefault(model, new ArrayDeque<>()).forEach(point -> speed.add(point.deepCopy()));
            ArrayNode accuracy = perModel.putArray("etaAccuracy");
            etaAccuracy.getOrDefault(model, new ArrayDeque<>()).forEach(point -> accuracy.add(point.deepCopy()));
        }
        return node;
    }

    /**
     * When an item was seen to start and finish.
     *
     * @return {@code [startedAtMs, finishedAtMs]}, 0 where not seen; null when nothing was seen
     */
    synchronized long[] itemTimes(String jobId, String itemId) {
        long[] times = itemTimes.get(jobId + '\u0000' + itemId);
        return times == null ? null : times.clone();
    }

    private void add(Deque<ObjectNode> deque, ObjectNode entry) {
        deque.addLast(entry);
        while (deque.size() > historySize) {
            deque.removeFirst();
        }
    }

    private static String itemKey(String jobId, Function<String, Object> property) {
        return jobId + '\u0000' + string(property.apply(BatchEvents.ITEM_ID));
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static long number(Object value) {
        return value instanceof Number number ? number.longValue() : 0;
    }

    private static <V> Map<String, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }
}

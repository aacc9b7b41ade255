package ai.batch.queue.web;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.batch.queue.BatchEvents;

/**
 * The slots as the dashboard sees them: the ones the handler services declare ({@code ai.batch.slot}, with the
 * models they name), and from the events that name a slot, per slot the items it ran and failed, its last job and
 * that job's model, its items per second over the last {@value #RATE_WINDOW_MS} ms, and the models its runtime
 * loaded or unloaded. Bounded ({@value #MAX_SLOTS} slots, {@value #JOBS_KEPT} job models); starts empty when the
 * dashboard starts. Thread-safe; every method is short and never calls out.
 */
final class SlotActivity {

    static final int MAX_SLOTS = 64;
    static final int JOBS_KEPT = 1_000;
    static final long RATE_WINDOW_MS = 10_000;
    private static final int RECENT_KEPT = 512;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What one slot did, from the events. */
    private static final class Seen {
        long items;
        long failed;
        String jobId;
        long lastItemAtMs;
        final Deque<Long> recent = new ArrayDeque<>();
        final Set<String> resident = new TreeSet<>();
    }

    private final Map<Object, Declared> declared = new HashMap<>();
    private final Map<String, Seen> seen = new LinkedHashMap<>();
    private final Map<String, String> jobModels = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > JOBS_KEPT;
        }
    };

    private record Declared(String slot, Set<String> serves) {
    }

    /** A handler service came or changed: a slot if it declares one. */
    synchronized void handler(Object serviceId, Object slot, Object resources) {
        if (slot instanceof String name && !name.isBlank()) {
            declared.put(serviceId, new Declared(name.strip(), names(resources)));
        } else {
            declared.remove(serviceId);
        }
    }

    /** A handler service went. */
    synchronized void handlerGone(Object serviceId) {
        declared.remove(serviceId);
    }

    /** Takes one queue event. */
    synchronized void accept(String topic, Function<String, Object> property, long nowMs) {
        String jobId = text(property.apply(BatchEvents.JOB_ID));
        if (BatchEvents.TOPIC_JOB_STARTED.equals(topic) && jobId != null) {
            jobModels.put(jobId, text(property.apply(BatchEvents.RESOURCE_KEY)));
            return;
        }
        Seen slot = slot(text(property.apply(BatchEvents.SLOT)));
        if (slot == null) {
            return;
        }
        switch (topic) {
            case BatchEvents.TOPIC_ITEM_PROGRESS -> {
                Object status = property.apply(BatchEvents.STATUS);
                if ("cancelled".equals(status)) {
                    return;
                }
                slot.items++;
                if ("failed".equals(status)) {
                    slot.failed++;
                }
                slot.jobId = jobId;
                slot.lastItemAtMs = nowMs;
                slot.recent.addLast(nowMs);
                while (slot.recent.size() > RECENT_KEPT) {
                    slot.recent.removeFirst();
                }
            }
            case BatchEvents.TOPIC_MODEL_LOADED -> {
                if (property.apply(BatchEvents.ERROR) == null) {
                    slot.resident.add(text(property.apply(BatchEvents.RESOURCE_KEY)));
                }
            }
            case BatchEvents.TOPIC_MODEL_UNLOADED -> slot.resident.remove(text(property.apply(BatchEvents.RESOURCE_KEY)));
            default -> {
                // other topics say nothing about a slot
            }
        }
    }

    /**
     * @param running the ids of the running jobs
     * @param nowMs now
     * @return every slot (declared by a handler service, or named by an event), in name order: {@code id},
     *         {@code declared}, {@code serves}, {@code state} ({@code busy} while its last job runs, else
     *         {@code idle}), {@code model}, {@code jobId}, {@code items}, {@code failed}, {@code itemsPerSecond},
     *         {@code lastItemAt}, {@code residentModels}
     */
    synchronized ArrayNode view(Collection<String> running, long nowMs) {
        Map<String, Set<String>> serves = new LinkedHashMap<>();
        declared.values().stream().sorted((a, b) -> a.slot().compareTo(b.slot()))
                .forEach(d -> serves.computeIfAbsent(d.slot(), s -> new TreeSet<>()).addAll(d.serves()));
        Set<String> ids = new TreeSet<>(serves.keySet());
        ids.addAll(seen.keySet());
        ArrayNode slots = JSON.arrayNode();
        for (String id : ids) {
            Seen slot = seen.get(id);
            ObjectNode node = slots.addObject().put("id", id).put("declared", serves.containsKey(id));
            ArrayNode models = node.putArray("serves");
            serves.getOrDefault(id, Set.of()).forEach(models::add);
            String jobId = slot == null ? null : slot.jobId;
            node.put("state", jobId != null && running.contains(jobId) ? "busy" : "idle")
                    .put("model", jobId == null ? null : jobModels.get(jobId)).put("jobId", jobId)
                    .put("items", slot == null ? 0 : slot.items).put("failed", slot == null ? 0 : slot.failed)
                    .put("itemsPerSecond", slot == null ? 0 : rate(slot, nowMs))
                    .put("lastItemAt", slot == null || slot.lastItemAtMs == 0 ? null
                            : Instant.ofEpochMilli(slot.lastItemAtMs).toString());
            ArrayNode resident = node.putArray("residentModels");
            if (slot != null) {
                slot.resident.forEach(resident::add);
            }
        }
        return slots;
    }

    private static double rate(Seen slot, long nowMs) {
        long within = slot.recent.stream().filter(at -> nowMs - at <= RATE_WINDOW_MS).count();
        return within * 1000.0 / RATE_WINDOW_MS;
    }

    /** @return the slot's record, made on first sight while there is room; null for none or no room */
    private Seen slot(String id) {
        if (id == null) {
            return null;
        }
        Seen slot = seen.get(id);
        if (slot == null && seen.size() < MAX_SLOTS) {
            slot = new Seen();
            seen.put(id, slot);
        }
        return slot;
    }

    private static Set<String> names(Object property) {
        if (property instanceof String name) {
            return Set.of(name);
        }
        if (property instanceof String[] names) {
            return Set.copyOf(Arrays.stream(names).filter(Objects::nonNull).toList());
        }
        if (property instanceof Collection<?> names) {
            return Set.copyOf(names.stream().filter(String.class::isInstance).map(String.class::cast).toList());
        }
        return Set.of();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}

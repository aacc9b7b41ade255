package ai.batch.queue.fleet;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchEvents;

/**
 * The fleet's events, with the same topics, property keys and {@code json} payload as the single-machine queue's,
 * plus the slot that ran an item ({@code slot}, as {@code node/slot}) and one topic of fleet mode,
 * {@link #TOPIC_ITEM_REQUEUED}.
 */
final class FleetPayloads {

    /** A running item went back to pending because its node died ({@code node} names it) or stopped. */
    static final String TOPIC_ITEM_REQUEUED = "ai_batch/item_requeued";
    /** The node whose transaction wrote an event (every relayed event carries it). */
    static final String NODE = "node";
    /** The event's outbox sequence number (a Long): every node sees the fleet's events in this order. */
    static final String SEQ = "seq";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetPayloads() {
    }

    /** {@code job_queued}; {@code cause} is {@code "enqueued"} or {@code "retried"}, as on one machine. */
    static FleetEvent jobQueued(String jobId, String resourceKey, String operation, int totalItems, String cause) {
        Map<String, Object> payload = job(jobId, resourceKey, operation, totalItems, BatchEvents.CAUSE, cause);
        payload.put(BatchEvents.REORDERED, false);
        payload.put(BatchEvents.REORDER_NOTE, null);
        return event(BatchEvents.TOPIC_JOB_QUEUED, payload);
    }

    static FleetEvent jobEvent(String topic, String jobId, String key, Object value) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(BatchEvents.JOB_ID, jobId);
        if (key != null) {
            payload.put(key, value);
        }
        return event(topic, payload);
    }

    static FleetEvent plain(String topic) {
        return event(topic, new LinkedHashMap<>());
    }

    static FleetEvent jobStarted(String jobId, String resourceKey, String operation, int totalItems) {
        return event(BatchEvents.TOPIC_JOB_STARTED, job(jobId, resourceKey, operation, totalItems, null, null));
    }

    static FleetEvent jobCancelled(String jobId, String resourceKey, String operation, int totalItems, boolean wasRunning) {
        return event(BatchEvents.TOPIC_JOB_CANCELLED, job(jobId, resourceKey, operation, totalItems,
                BatchEvents.WAS_RUNNING, wasRunning));
    }

    static FleetEvent itemStarted(String jobId, String itemId, String slot, String sizeBucket) {
        return event(BatchEvents.TOPIC_ITEM_STARTED, item(jobId, itemId, BatchEvents.SLOT, slot,
                BatchEvents.SIZE_BUCKET, sizeBucket));
    }

    static FleetEvent itemProgress(String jobId, String itemId, String slot, String status, int completed, int total,
            String error, Long durationMs) {
        Map<String, Object> payload = item(jobId, itemId, BatchEvents.STATUS, status, BatchEvents.COMPLETED, completed,
                BatchEvents.TOTAL, total, BatchEvents.ERROR, error, BatchEvents.DURATION_MS, durationMs,
                BatchEvents.ETA_REMAINING_MS, null);
        if (slot != null) {
            payload.put(BatchEvents.SLOT, slot);
        }
        return event(BatchEvents.TOPIC_ITEM_PROGRESS, payload);
    }

    static FleetEvent itemRetry(String jobId, String itemId, String slot, String error, int attempts) {
        return event(BatchEvents.TOPIC_ITEM_RETRY, item(jobId, itemId, BatchEvents.SLOT, slot, BatchEvents.ERROR, error,
                BatchEvents.ATTEMPTS, attempts));
    }

    static FleetEvent itemRequeued(String jobId, String itemId, String deadNode, String reason) {
        return event(TOPIC_ITEM_REQUEUED, item(jobId, itemId, "fromNode", deadNode, BatchEvents.REASON, reason));
    }

    /** An item's payload: its job and id, then the given keys and values, in that order. */
    private static Map<String, Object> item(String jobId, String itemId, Object... keysAndValues) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(BatchEvents.JOB_ID, jobId);
        payload.put(BatchEvents.ITEM_ID, itemId);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            payload.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return payload;
    }

    /** The contract's {@code job_completed}: flat properties, and {@code json} as {@code {"summary":{…}}}. */
    static FleetEvent jobCompleted(String jobId, String resourceKey, String operation, String status, int total,
            int succeeded, int failed, int skipped, long totalDurationMs, long avgDurationMs) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put(BatchEvents.JOB_ID, jobId);
        summary.put(BatchEvents.OPERATION, operation);
        summary.put(BatchEvents.RESOURCE_KEY, resourceKey);
        summary.put(BatchEvents.TOTAL, total);
        summary.put(BatchEvents.SUCCEEDED, succeeded);
        summary.put(BatchEvents.FAILED, failed);
        summary.put(BatchEvents.SKIPPED, skipped);
        summary.put(BatchEvents.TOTAL_DURATION_MS, totalDurationMs);
        summary.put(BatchEvents.AVG_DURATION_MS, avgDurationMs);
        Map<String, Object> properties = new HashMap<>(summary);
        properties.put(BatchEvents.STATUS, status);
        properties.put(BatchEvents.JSON, json(Map.of("summary", summary)));
        return FleetEvent.of(BatchEvents.TOPIC_JOB_COMPLETED, properties);
    }

    private static Map<String, Object> job(String jobId, String resourceKey, String operation, int totalItems,
            String extraKey, Object extra) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(BatchEvents.JOB_ID, jobId);
        payload.put(BatchEvents.OPERATION, operation);
        payload.put(BatchEvents.RESOURCE_KEY, resourceKey);
        payload.put(BatchEvents.TOTAL_ITEMS, totalItems);
        if (extraKey != null) {
            payload.put(extraKey, extra);
        }
        return payload;
    }

    /** Every non-null value as a property, and the whole payload, nulls kept, as {@code json}. */
    private static FleetEvent event(String topic, Map<String, Object> payload) {
        Map<String, Object> properties = new HashMap<>();
        payload.forEach((key, value) -> {
            if (value != null) {
                properties.put(key, value);
            }
        });
        properties.put(BatchEvents.JSON, json(payload));
        return FleetEvent.of(topic, properties);
    }

    private static String json(Object payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

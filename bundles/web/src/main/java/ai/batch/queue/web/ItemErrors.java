package ai.batch.queue.web;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The errors each item had, from {@code item_retry} and failed {@code item_progress} events: the queue keeps only
 * an item's last error, and {@code retryFailed} clears even that, so without these the page would forget why an
 * item needed another attempt. Bounded: {@value #PER_ITEM} errors per item (the newest), each cut to
 * {@value #ERROR_CHARS} characters, for the newest {@code items} items. Not thread-safe: {@link QueueActivity}
 * guards it.
 */
final class ItemErrors {

    static final int PER_ITEM = 5;
    static final int ERROR_CHARS = 1_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, Deque<ObjectNode>> errors;

    ItemErrors(int items) {
        this.errors = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<ObjectNode>> eldest) {
                return size() > items;
            }
        };
    }

    /**
     * @param attempt the attempts so far when the event says, else 0
     */
    void add(String jobId, String itemId, String error, int attempt, long nowMs) {
        if (jobId == null || itemId == null || error == null) {
            return;
        }
        Deque<ObjectNode> list = errors.computeIfAbsent(jobId + '\u0000' + itemId, key -> new ArrayDeque<>());
        String text = error.length() <= ERROR_CHARS ? error : error.substring(0, ERROR_CHARS) + "…";
        list.addLast(JSON.objectNode().put("time", Instant.ofEpochMilli(nowMs).toString()).put("attempt", attempt)
                .put("error", text));
        while (list.size() > PER_ITEM) {
            list.removeFirst();
        }
    }

    /** @return copies of the item's errors, oldest first */
    ArrayNode of(String jobId, String itemId) {
        ArrayNode node = JSON.arrayNode();
        Deque<ObjectNode> list = errors.get(jobId + '\u0000' + itemId);
        if (list != null) {
            list.forEach(entry -> node.add(entry.deepCopy()));
        }
        return node;
    }
}

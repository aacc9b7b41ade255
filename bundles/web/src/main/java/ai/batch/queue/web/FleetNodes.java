package ai.batch.queue.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fleet's nodes, when this framework is a node of a fleet: the latest table its fleet bundle published
 * ({@value #TOPIC}, every two seconds: per node its state, heartbeat age, epoch, items in flight and slots), with
 * each heartbeat age brought up to now. Empty on a single machine.
 */
final class FleetNodes {

    /** The fleet bundle's topic for its node table. */
    static final String TOPIC = "ai_batch/fleet_nodes";

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile JsonNode table;
    private volatile long receivedAtMs;

    /** Takes a table; one that is not the expected JSON is ignored (the previous one stays). */
    void accept(Object json, long nowMs) {
        if (!(json instanceof String text)) {
            return;
        }
        try {
            JsonNode nodes = JSON.readTree(text).path("nodes");
            if (nodes.isArray()) {
                table = nodes;
                receivedAtMs = nowMs;
            }
        } catch (JsonProcessingException e) {
            // not a node table: ignored
        }
    }

    /** @return the nodes, their heartbeat ages as of {@code nowMs}; an empty array without a fleet */
    ArrayNode view(long nowMs) {
        ArrayNode view = JSON.createArrayNode();
        JsonNode nodes = table;
        if (nodes == null) {
            return view;
        }
        long age = Math.max(0, nowMs - receivedAtMs);
        for (JsonNode node : nodes) {
            ObjectNode copy = node.deepCopy();
            copy.put("heartbeatAgeMs", node.path("heartbeatAgeMs").asLong() + age);
            view.add(copy);
        }
        return view;
    }
}

package ai.batch.queue.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A REST answer: the HTTP status and the JSON body.
 *
 * @param status the HTTP status code
 * @param body the JSON body
 */
record ApiResponse(int status, JsonNode body) {

    static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body);
    }

    /** @return {@code {"error": message}} with the status */
    static ApiResponse error(int status, String message) {
        return new ApiResponse(status, JsonNodeFactory.instance.objectNode().put("error", message));
    }
}

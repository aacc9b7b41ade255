package ai.batch.queue.openai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;

/**
 * The model lifecycle of a llama.cpp server in router mode: {@code GET /models} lists every model with a
 * {@code status.value} ({@code loaded}, {@code loading}, {@code unloaded}, …), {@code POST /models/load} and
 * {@code POST /models/unload} with {@code {"model": …}} start a load or an unload and answer at once, so both wait
 * here until the list shows the change, at most {@code lifecycle.timeout.ms}. The router evicts the least recently
 * used model by itself when it holds {@code --models-max} of them.
 */
final class RouterLifecycle implements ModelLifecycle {

    private static final long FIRST_POLL_MS = 50;
    private static final long MAX_POLL_MS = 1_000;

    private final OpenAiClient client;
    private final OpenAiSettings settings;

    RouterLifecycle(OpenAiClient client, OpenAiSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * @param models the answer of the server root's {@code GET /models}
     * @return whether it is a llama.cpp router's list: a {@code data} list whose entries carry a status object
     */
    static boolean isRouter(JsonNode models) {
        JsonNode data = models.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            return false;
        }
        for (JsonNode entry : data) {
            if (!entry.path("status").path("value").isTextual()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<LoadedModel> loadedModels() throws Exception {
        List<LoadedModel> loaded = new ArrayList<>();
        for (JsonNode entry : list()) {
            String state = entry.path("status").path("value").asText();
            if ("loaded".equals(state) || "loading".equals(state)) {
                loaded.add(LoadedModel.of(entry.path("id").asText(), -1, null));
            }
        }
        return loaded;
    }

    @Override
    public void load(String model) throws Exception {
        if ("loaded".equals(state(model))) {
            return;
        }
        call("/models/load", model, "load");
        await(model, "load", state -> "loaded".equals(state));
    }

    @Override
    public void unload(String model) throws Exception {
        String state = state(model);
        if (!"loaded".equals(state) && !"loading".equals(state)) {
            return;
        }
        call("/models/unload", model, "unload");
        await(model, "unload", now -> !"loaded".equals(now) && !"loading".equals(now));
    }

    @Override
    public int capacity() {
        return settings.routerCapacity();
    }

    @Override
    public boolean evictsOnItsOwn() {
        return true;
    }

    private interface StatePredicate {
        boolean done(String state);
    }

    private void await(String model, String what, StatePredicate done) throws Exception {
        long deadline = System.nanoTime() + settings.lifecycleTimeout().toNanos();
        long pause = FIRST_POLL_MS;
        while (true) {
            JsonNode entry = entry(model);
            String state = entry.path("status").path("value").asText();
            if (done.done(state)) {
                return;
            }
            if (entry.path("status").path("failed").asBoolean(false) || "failed".equals(state)
                    || "error".equals(state)) {
                // The status may list the command line the router started the model with, key included.
                throw new IllegalStateException("Model '" + model + "': the " + what + " failed on server "
                        + client.server() + " (status " + client.mask().mask(entry.path("status")) + ")");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("Model '" + model + "': the " + what + " did not finish within "
                        + settings.lifecycleTimeout().toMillis() + " ms on server " + client.server()
                        + " (lifecycle.timeout.ms); its status is '" + client.mask().mask(state) + "'");
            }
            // The router answers load and unload at once; there is nothing to wait on but its list.
            Thread.sleep(Math.min(pause, Duration.ofNanos(left).toMillis() + 1));
            pause = Math.min(pause * 2, MAX_POLL_MS);
        }
    }

    private void call(String path, String model, String what) throws Exception {
        try {
            client.postAtRoot(path, Json.MAPPER.createObjectNode().put("model", model));
        } catch (ServerException e) {
            throw new IllegalStateException("Model '" + model + "': the " + what + " was refused: " + e.getMessage(),
                    e);
        }
    }

    private String state(String model) throws Exception {
        return entry(model).path("status").path("value").asText();
    }

    private JsonNode entry(String model) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : list()) {
            String id = entry.path("id").asText();
            if (model.equals(id) || contains(entry.path("aliases"), model)) {
                return entry;
            }
            ids.add(id);
        }
        throw new IllegalArgumentException("Model '" + model + "' is not among the models of server "
                + client.server() + ": " + client.mask().mask(ids));
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode node : array) {
            if (value.equals(node.asText())) {
                return true;
            }
        }
        return false;
    }

    private JsonNode list() throws Exception {
        JsonNode data;
        try {
            data = client.getAtRoot("/models").get("data");
        } catch (ServerException e) {
            throw new IllegalStateException("The model list is not available: " + e.getMessage(), e);
        }
        if (data == null || !data.isArray()) {
            throw new IllegalStateException("Server " + client.server() + " answered GET /models without a "
                    + "'data' list");
        }
        return data;
    }

    @Override
    public String toString() {
        return "RouterLifecycle[" + client.server() + "]";
    }
}

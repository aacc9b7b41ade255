package ai.batch.queue.ollama;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.osgi.service.log.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;
import ai.batch.queue.ollama.OllamaClient.Call;
import ai.batch.queue.runtime.kit.FailureText;
import ai.batch.queue.runtime.kit.SecretMask;

/**
 * Runs items on one Ollama server and lets the queue load and unload its models; one instance per configuration
 * of factory PID {@code ai.batch.queue.ollama}, none without, made and registered by {@link OllamaComponent} as
 * {@link BatchItemHandler} and {@link ModelLifecycle} with the configuration's properties, so the configured
 * {@code ai.batch.resource} names the models of both.
 *
 * <p>Operations: {@code chat} goes to {@code /api/chat}, {@code embed} to {@code /api/embed} (several items per
 * request through {@link #processBatch}), every other operation ({@code generate}, {@code caption}, {@code tag},
 * …) to {@code /api/generate} with the operation's prompt template. Answers are streamed and read to their end
 * within {@code requestTimeoutMs}. Thread-safe.
 */
public final class OllamaHandler implements BatchItemHandler<Object>, ModelLifecycle {

    static final String CHAT = "chat";
    static final String EMBED = "embed";

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Logger logger;
    private final OllamaSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService httpThreads;
    private final OllamaClient client;
    private final Requests requests;
    private final Map<String, Duration> loadDurations = new ConcurrentHashMap<>();
    private final CapacityWatch capacity;
    private volatile boolean closed;

    /**
     * @param config the configuration
     * @param properties the same configuration as a map (for the {@code prompt.<operation>} keys)
     * @param logger where to log
     * @throws IllegalArgumentException naming the key of a bad value
     */
    public OllamaHandler(OllamaConfig config, Map<String, Object> properties, Logger logger) {
        this.logger = logger;
        this.settings = OllamaSettings.from(config, properties, json);
        this.httpThreads = Executors.newCachedThreadPool(daemonThreads());
        this.client = new OllamaClient(settings, json, httpThreads);
        this.requests = new Requests(settings, json);
        this.capacity = new CapacityWatch(settings.capacity());
        logger.info("Ollama handler for {} at {}: slot {}, keep_alive {}, options {}, request timeout {} ms",
                settings.models(), settings.baseUri(), settings.slot().orElse("none"), settings.keepAlive(),
                settings.options(), settings.requestTimeout().toMillis());
    }

    /** @return the checked configuration */
    OllamaSettings settings() {
        return settings;
    }

    void deactivate() {
        closed = true; // calls still reading stop at their next poll instead of at their deadline
        httpThreads.shutdownNow();
    }

    // ---- handler

    @Override
    public ItemResult process(Object data, ItemContext context) {
        Call call = itemCall(context);
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        try {
            return switch (context.operation()) {
                case EMBED -> ItemResult.successWithOutput(
                        embed(List.of(Requests.embedInput(data)), call, deadline, stopped(context)).get(0));
                case CHAT -> ItemResult.successWithOutput(
                        stream("/api/chat", requests.chat(call.model(), CHAT, data), call, deadline, context));
                default -> ItemResult.successWithOutput(stream("/api/generate",
                        requests.generate(call.model(), context.operation(), data), call, deadline, context));
            };
        } catch (Requests.BadData e) {
            return ItemResult.failure(itemText(context, e.getMessage() + client.where(call)));
        } catch (OllamaException e) {
            return failed(e, context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ItemResult.failure(itemText(context, "interrupted" + client.where(call)));
        }
    }

    /** For {@code embed}: one request for all items; for the other operations the items one after the other. */
    @Override
    public List<ItemResult> processBatch(List<Object> data, List<ItemContext> contexts) throws Exception {
        if (data.isEmpty() || !EMBED.equals(contexts.get(0).operation())) {
            return BatchItemHandler.super.processBatch(data, contexts);
        }
        ItemContext first = contexts.get(0);
        Call call = itemCall(first);
        ItemResult[] results = new ItemResult[data.size()];
        List<Integer> sent = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (contexts.get(i).isCancelled()) {
                results[i] = FailureText.cancelled();
                continue;
            }
            try {
                inputs.add(Requests.embedInput(data.get(i)));
                sent.add(i);
            } catch (Requests.BadData e) {
                results[i] = ItemResult.failure(itemText(contexts.get(i), e.getMessage() + client.where(call)));
            }
        }
        if (!inputs.isEmpty()) {
            long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
            BooleanSupplier cancelled = () -> closed || sent.stream().allMatch(i -> contexts.get(i).isCancelled());
            embedSplitting(sent, inputs, call, deadline, cancelled, contexts, results);
        }
        return List.of(results);
    }

    /**
     * Ollama fails a whole embed request when one input is refused (400), so a refused batch is split in halves
     * and each half sent again, down to the input at fault: its good neighbours succeed, at the cost of at most
     * two requests per halving (log2 of the batch size levels). Any other failure applies to every item sent.
     */
    private void embedSplitting(List<Integer> sent, List<String> inputs, Call call, long deadline,
            BooleanSupplier cancelled, List<ItemContext> contexts, ItemResult[] results) throws InterruptedException {
        try {
            List<String> vectors = embed(inputs, call, deadline, cancelled);
            for (int k = 0; k < sent.size(); k++) {
                results[sent.get(k)] = ItemResult.successWithOutput(vectors.get(k));
            }
        } catch (OllamaException e) {
            if (e.status() == 400 && inputs.size() > 1) {
                int half = inputs.size() / 2;
                logger.debug("Ollama {} refused an embed request of {} inputs; sending its halves", client.base(),
                        inputs.size());
                embedSplitting(sent.subList(0, half), inputs.subList(0, half), call, deadline, cancelled, contexts,
                        results);
                embedSplitting(sent.subList(half, sent.size()), inputs.subList(half, inputs.size()), call, deadline,
                        cancelled, contexts, results);
                return;
            }
            sent.forEach(i -> results[i] = failed(e, contexts.get(i)));
        }
    }

    private BooleanSupplier stopped(ItemContext context) {
        return () -> closed || context.isCancelled();
    }

    private Call itemCall(ItemContext context) {
        return new Call(context.resourceKey(), context.jobId(), "requestTimeoutMs", settings.requestTimeout());
    }

    private Call lifecycleCall(String model) {
        return new Call(model, null, "loadTimeoutMs", settings.loadTimeout());
    }

    /** A cancelled item stopped by its cancellation is no failure of the server: neither logged nor worded as one. */
    private ItemResult failed(OllamaException e, ItemContext context) {
        if (context.isCancelled()) {
            return FailureText.cancelled();
        }
        String message = itemText(context, e.getMessage());
        logger.warn(FailureText.LOG_LINE, context.itemId(), context.jobId(), FailureText.mayPass(e.retryable()),
                message);
        return e.retryable() ? ItemResult.retryableFailure(message, e.retryAfter()) : ItemResult.failure(message);
    }

    private static String itemText(ItemContext context, String problem) {
        return FailureText.item(context.resourceKey(), context.jobId(), context.itemId(), problem);
    }

    /** Reads a streamed generate or chat answer to its end; returns the concatenated text. */
    private String stream(String path, JsonNode body, Call call, long deadline, ItemContext context)
            throws OllamaException, InterruptedException {
        StringBuilder output = new StringBuilder();
        client.stream(path, body, call, deadline, stopped(context), chunk -> {
            if (chunk.hasNonNull("error")) {
                throw new OllamaException("the server failed mid-answer: "
                        + FailureText.serverText(chunk.get("error").asText(), SecretMask.NONE) + client.where(call),
                        false);
            }
            JsonNode text = chunk.has("message") ? chunk.path("message").path("content") : chunk.path("response");
            output.append(text.asText(""));
            boolean done = chunk.path("done").asBoolean(false);
            if (done) {
                finished(call, chunk, output.length());
            }
            return done;
        });
        return output.toString();
    }

    private List<String> embed(List<String> inputs, Call call, long deadline, BooleanSupplier cancelled)
            throws OllamaException, InterruptedException {
        JsonNode answer = client.post("/api/embed", requests.embed(call.model(), inputs), call, deadline, cancelled);
        JsonNode embeddings = answer.path("embeddings");
        if (!embeddings.isArray() || embeddings.size() != inputs.size()) {
            throw new OllamaException("the server answered " + (embeddings.isArray() ? embeddings.size() : "no")
                    + " embeddings for " + inputs.size() + " inputs" + client.where(call), false);
        }
        finished(call, answer, 0);
        List<String> vectors = new ArrayList<>(inputs.size());
        for (JsonNode vector : embeddings) {
            vectors.add(vector.toString());
        }
        return vectors;
    }

    /** Notes the load time Ollama reports with the last part of every answer. */
    private void finished(Call call, JsonNode done, int outputChars) {
        if (done.has("load_duration")) {
            loadDurations.put(call.model(), Duration.ofNanos(done.path("load_duration").asLong()));
        }
        logger.debug("Ollama {} model {} job {}: load {} ms, total {} ms, {} characters out",
                client.base(), call.model(), call.jobId(), done.path("load_duration").asLong() / 1_000_000,
                done.path("total_duration").asLong() / 1_000_000, outputChars);
    }

    /**
     * How long the server took to get the model ready for its most recent answer, as Ollama reported it
     * ({@code load_duration}; a few milliseconds when the model was loaded already), or as measured around a
     * {@link #load} when the server did not say.
     *
     * @param model the model
     * @return the duration, or empty before the first answer for the model
     */
    public Optional<Duration> lastLoadDuration(String model) {
        return Optional.ofNullable(loadDurations.get(model));
    }

    // ---- lifecycle

    @Override
    public List<LoadedModel> loadedModels() throws OllamaException, InterruptedException {
        Call call = lifecycleCall(null);
        JsonNode answer = client.get("/api/ps", call, System.nanoTime() + settings.loadTimeout().toNanos(),
                () -> closed);
        List<LoadedModel> loaded = new ArrayList<>();
        for (JsonNode model : answer.path("models")) {
            String name = model.path("name").asText(model.path("model").asText(""));
            if (name.isEmpty()) {
                continue;
            }
            long vram = model.path("size_vram").asLong(0);
            long size = vram > 0 ? vram : model.path("size").asLong(-1);
            loaded.add(LoadedModel.of(resourceKeyOf(name), size, instant(model.path("expires_at").asText(null))));
        }
        return loaded;
    }

    /**
     * Loads the model, and compares {@code /api/ps} before and after: a model evicted for this load means the
     * server holds fewer models than the configured capacity, which is then lowered ({@link CapacityWatch}).
     */
    @Override
    public void load(String resourceKey) throws OllamaException, InterruptedException {
        Call call = lifecycleCall(resourceKey);
        List<LoadedModel> before = loadedModelsOrNull();
        String refusal = capacity.refusal(resourceKey, before);
        if (refusal != null) {
            throw new OllamaException(refusal + client.where(call), false);
        }
        long start = System.nanoTime();
        JsonNode answer = client.post("/api/generate", requests.preload(resourceKey), call,
                start + settings.loadTimeout().toNanos(), () -> closed);
        if (answer.hasNonNull("error")) {
            throw new OllamaException("load failed: " + FailureText.serverText(answer.get("error").asText(),
                    SecretMask.NONE) + client.where(call), false);
        }
        long took = System.nanoTime() - start;
        long reported = answer.path("load_duration").asLong(0);
        Duration duration = Duration.ofNanos(reported > 0 ? reported : took);
        loadDurations.put(resourceKey, duration);
        logger.info("Ollama {} loaded model {} in {} ms", client.base(), resourceKey, duration.toMillis());
        CapacityWatch.Finding finding = capacity.afterLoad(resourceKey, before, before == null ? null
                : loadedModelsOrNull());
        if (finding != null) {
            logger.warn("Ollama {} dropped {} around the load of {}: it holds {} model(s) at once, not the configured capacity "
                    + "{}; the queue now sees capacity {} and preloads only into free room (set capacity to match "
                    + "OLLAMA_MAX_LOADED_MODELS and the memory)", client.base(), finding.evicted(), resourceKey,
                    finding.to(), settings.capacity(), finding.to());
        }
    }

    /** {@code /api/ps} for the capacity check around a load; a server that cannot list gives no check. */
    private List<LoadedModel> loadedModelsOrNull() throws InterruptedException {
        try {
            return loadedModels();
        } catch (OllamaException e) {
            logger.debug("Ollama {}: no list of loaded models around a load: {}", client.base(), e.getMessage());
            return null;
        }
    }

    @Override
    public void unload(String resourceKey) throws OllamaException, InterruptedException {
        Call call = lifecycleCall(resourceKey);
        capacity.unloading(resourceKey);
        JsonNode answer = client.post("/api/generate", requests.unload(resourceKey), call,
                System.nanoTime() + settings.loadTimeout().toNanos(), () -> closed);
        if (answer.hasNonNull("error")) {
            throw new OllamaException("unload failed: " + FailureText.serverText(answer.get("error").asText(),
                    SecretMask.NONE) + client.where(call), false);
        }
        logger.info("Ollama {} unloaded model {}", client.base(), resourceKey);
    }

    /** The configured capacity, lowered once a load of ours was seen to evict a model ({@link #load}). */
    @Override
    public int capacity() {
        return capacity.capacity();
    }

    /** Ollama unloads a model when its keep_alive runs out and to make room for another. */
    @Override
    public boolean evictsOnItsOwn() {
        return true;
    }

    /** Ollama names an untagged model {@code name:latest}; report it under the configured key. */
    private String resourceKeyOf(String name) {
        for (String model : settings.models()) {
            if (model.equalsIgnoreCase(name) || (model + ":latest").equalsIgnoreCase(name)) { // Ollama ignores case
                return model;
            }
        }
        return name;
    }

    private static Instant instant(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "ai-batch-ollama-http-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

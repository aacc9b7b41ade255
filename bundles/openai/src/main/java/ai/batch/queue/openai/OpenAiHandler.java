package ai.batch.queue.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.log.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.ModelLifecycle;
import ai.batch.queue.runtime.kit.FailureText;
import ai.batch.queue.runtime.kit.SecretMask;

/**
 * A handler for one OpenAI-compatible server (one per configuration of factory PID {@value OpenAiConfig#PID},
 * registered by {@link OpenAiComponent}). Operations {@code chat}, {@code generate}, {@code caption} and
 * {@code tag} send one chat completion per item; {@code embed} sends up to {@code ai.batch.batchSize} items per
 * {@code /embeddings} request through {@link #processBatch}. Server errors become item failures naming the server,
 * model, job and item; those that may pass (429, 502, 503, 504, 408, no connection, timeouts) are retryable.
 */
public final class OpenAiHandler implements BatchItemHandler<Object> {

    /** Registers a model lifecycle service; returns what unregisters it. */
    interface LifecycleRegistrar {
        Runnable register(ModelLifecycle lifecycle, Map<String, Object> properties);
    }

    private final OpenAiSettings settings;
    private final OpenAiClient client;
    private final Requests requests;
    private final Logger logger;
    private final ServerProbe probe;

    OpenAiHandler(OpenAiSettings settings, Logger logger, LifecycleRegistrar registrar) {
        this.settings = settings;
        this.logger = logger;
        this.client = new OpenAiClient(settings);
        this.requests = new Requests(settings);
        this.probe = new ServerProbe(settings, client, logger, registrar);
        probe.start();
    }

    void deactivate() {
        probe.stop();
    }

    /** @return the models this instance serves ({@code ai.batch.resource}) */
    List<String> models() {
        return settings.models();
    }

    /** @return how this server's bodies are built, for batch files */
    Requests requests() {
        return requests;
    }

    /** @return what takes this server's API key out of text, for batch files read for its models */
    SecretMask mask() {
        return client.mask();
    }

    /** @return the server's base URL, without credentials */
    String server() {
        return client.server();
    }

    @Override
    public ItemResult process(Object data, ItemContext context) throws Exception {
        if (Requests.EMBED.equals(context.operation())) {
            return embed(List.of(data), List.of(context)).get(0);
        }
        if (!Requests.CHAT_OPERATIONS.contains(context.operation())) {
            return ItemResult.failure(describe(context, Requests.unsupported(context.operation())));
        }
        if (context.isCancelled()) {
            return FailureText.cancelled(); // the request cannot be taken back once sent; before, it need not go
        }
        ItemInput input;
        try {
            input = ItemInput.of(data);
        } catch (IllegalArgumentException e) {
            return ItemResult.failure(describe(context, e.getMessage()));
        }
        try {
            JsonNode answer = client.post(Requests.endpoint(context.operation()),
                    requests.chat(context.resourceKey(), context.operation(), input));
            return ItemResult.successWithOutput(client.mask().mask(Requests.chatContent(answer)));
        } catch (ServerException e) {
            return failure(context, e);
        } catch (IllegalArgumentException e) {
            return ItemResult.failure(describe(context, "server " + client.server() + ": "
                    + client.mask().mask(e.getMessage())));
        }
    }

    @Override
    public List<ItemResult> processBatch(List<Object> data, List<ItemContext> contexts) throws Exception {
        if (!contexts.isEmpty() && Requests.EMBED.equals(contexts.get(0).operation())) {
            return embed(data, contexts);
        }
        return BatchItemHandler.super.processBatch(data, contexts);
    }

    /** One {@code /embeddings} request for the items that are not cancelled and whose data is text. */
    private List<ItemResult> embed(List<Object> data, List<ItemContext> contexts) throws InterruptedException {
        ItemResult[] results = new ItemResult[data.size()];
        List<Integer> sent = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            ItemContext context = contexts.get(i);
            if (context.isCancelled()) {
                results[i] = FailureText.cancelled();
                continue;
            }
            try {
                ItemInput input = ItemInput.of(data.get(i));
                if (!input.imageUrls().isEmpty()) {
                    throw new IllegalArgumentException("embed takes text only, and this item has images");
                }
                texts.add(input.prompt());
                sent.add(i);
            } catch (IllegalArgumentException e) {
                results[i] = ItemResult.failure(describe(context, e.getMessage()));
            }
        }
        if (!sent.isEmpty()) {
            ItemContext first = contexts.get(sent.get(0));
            try {
                JsonNode answer = client.post("/embeddings", requests.embed(first.resourceKey(), texts));
                List<String> vectors = Requests.embeddings(answer, texts.size());
                for (int n = 0; n < sent.size(); n++) {
                    int i = sent.get(n);
                    String vector = client.mask().mask(vectors.get(n));
                    results[i] = vector != null ? ItemResult.successWithOutput(vector)
                            : ItemResult.failure(describe(contexts.get(i), "server " + client.server()
                                    + ": the answer has no embedding for this item (index " + n + ")"));
                }
            } catch (ServerException e) {
                sent.forEach(i -> results[i] = failure(contexts.get(i), e));
            } catch (IllegalArgumentException e) {
                sent.forEach(i -> results[i] = ItemResult.failure(describe(contexts.get(i),
                        "server " + client.server() + ": " + e.getMessage())));
            }
        }
        return List.of(results);
    }

    private ItemResult failure(ItemContext context, ServerException e) {
        String message = describe(context, e.getMessage());
        logger.warn(FailureText.LOG_LINE, context.itemId(), context.jobId(), FailureText.mayPass(e.isRetryable()),
                message);
        // The server's Retry-After goes to the queue, which never tries the item sooner.
        return e.isRetryable() ? ItemResult.retryableFailure(message, e.retryAfter()) : ItemResult.failure(message);
    }

    private static String describe(ItemContext context, String problem) {
        return FailureText.item(context.resourceKey(), context.jobId(), context.itemId(), problem);
    }

    @Override
    public String toString() {
        return "OpenAiHandler[" + settings + "]";
    }
}

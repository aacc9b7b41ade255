package ai.batch.queue.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.log.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.handler.BatchItemHandler;

/**
 * Asks the server, off the activation thread, which models it lists ({@code GET /models}, logged as a health
 * message), and with {@code lifecycle=auto} whether it offers llama.cpp's router endpoints: if so it registers a
 * {@link RouterLifecycle} for the configured models, in the configuration's slot. While the server does not answer, it asks again with a
 * growing pause (1 s up to 60 s) until it does or the handler goes away.
 */
final class ServerProbe {

    private static final long FIRST_RETRY_MS = 1_000;
    private static final long MAX_RETRY_MS = 60_000;

    private final OpenAiSettings settings;
    private final OpenAiClient client;
    private final Logger logger;
    private final OpenAiHandler.LifecycleRegistrar registrar;
    private final ScheduledExecutorService scheduler;
    private Runnable unregister;
    private boolean stopped;

    ServerProbe(OpenAiSettings settings, OpenAiClient client, Logger logger,
            OpenAiHandler.LifecycleRegistrar registrar) {
        this.settings = settings;
        this.client = client;
        this.logger = logger;
        this.registrar = registrar;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ai-batch-queue-openai-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        scheduler.execute(() -> attempt(FIRST_RETRY_MS));
    }

    void stop() {
        Runnable registered;
        synchronized (this) {
            stopped = true;
            registered = unregister;
            unregister = null;
        }
        scheduler.shutdownNow();
        if (registered != null) {
            registered.run();
        }
    }

    /** @return whether a lifecycle service is registered now */
    synchronized boolean lifecycleRegistered() {
        return unregister != null;
    }

    private void attempt(long retryMs) {
        try {
            try {
                JsonNode models = client.get("/models");
                // A model id is the server's text like any other: a proxy may name models after the key.
                logger.info("OpenAI-compatible server {} answers and lists the models {}", client.server(),
                        client.mask().mask(ids(models)));
            } catch (ServerException e) {
                if (e.isRetryable()) {
                    retry(retryMs, e);
                    return;
                }
                logger.warn("OpenAI-compatible server {} does not list its models: {}", client.server(),
                        e.getMessage());
            }
            if (settings.lifecycle() == OpenAiSettings.LifecycleMode.AUTO) {
                detectRouter(retryMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            logger.error("Probing OpenAI-compatible server {} failed", client.server(), e);
        }
    }

    private void detectRouter(long retryMs) throws InterruptedException {
        JsonNode root;
        try {
            root = client.getAtRoot("/models");
        } catch (ServerException e) {
            if (e.isRetryable()) {
                retry(retryMs, e);
                return;
            }
            logger.info("Server {} has no llama.cpp router endpoints ({}): no model lifecycle service",
                    client.server(), e.getMessage());
            return;
        }
        if (!RouterLifecycle.isRouter(root)) {
            logger.info("Server {} lists no model status at {}/models: no model lifecycle service", client.server(),
                    settings.serverRoot());
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(BatchItemHandler.RESOURCE, settings.models().toArray(String[]::new));
        properties.put("openai.baseUrl", client.server());
        settings.slot().ifPresent(slot -> properties.put(BatchItemHandler.SLOT, slot));
        synchronized (this) {
            if (stopped || unregister != null) {
                return;
            }
            unregister = registrar.register(new RouterLifecycle(client, settings), properties);
        }
        logger.info("Server {} is a llama.cpp router: registered a model lifecycle service for {}", client.server(),
                settings.models());
    }

    private void retry(long retryMs, ServerException e) {
        logger.warn("OpenAI-compatible server {} is not answering yet ({}); asking again in {} ms", client.server(),
                e.getMessage(), retryMs);
        synchronized (this) {
            if (!stopped) {
                scheduler.schedule(() -> attempt(Math.min(retryMs * 2, MAX_RETRY_MS)), retryMs,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    private static List<String> ids(JsonNode models) {
        List<String> ids = new ArrayList<>();
        models.path("data").forEach(entry -> ids.add(entry.path("id").asText()));
        return ids;
    }
}

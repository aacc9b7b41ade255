package ai.batch.queue.openai;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.batch.queue.runtime.kit.SlotNames;

/**
 * One server's configuration, checked once: every bad value fails with an {@link IllegalArgumentException}
 * naming its key. The API key is held here but never shown by {@link #toString()}.
 */
final class OpenAiSettings {

    /** What {@code lifecycle} may be. */
    enum LifecycleMode {
        AUTO, NONE
    }

    /** What a slot derived from the server's address starts with: {@code openai@host:port}. */
    static final String RUNTIME = "openai";

    private final URI baseUrl;
    private final String apiKey;
    private final List<String> models;
    private final Duration requestTimeout;
    private final long maxResponseBytes;
    private final String systemPrompt;
    private final Map<String, String> prompts;
    private final ObjectNode bodyOptions;
    private final int embedBatchSize;
    private final LifecycleMode lifecycle;
    private final int routerCapacity;
    private final Duration lifecycleTimeout;
    private final Optional<String> slot;

    private OpenAiSettings(OpenAiConfig config) {
        baseUrl = baseUrl(config.baseUrl());
        apiKey = config._apiKey() == null ? "" : config._apiKey().trim();
        models = config.ai_batch_resource() == null ? List.of()
                : List.of(config.ai_batch_resource()).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (models.isEmpty()) {
            throw new IllegalArgumentException("ai.batch.resource must name at least one model served by "
                    + baseUrl + " (or '*' for any)");
        }
        requestTimeout = Duration.ofMillis(positive("request.timeout.ms", config.request_timeout_ms()));
        maxResponseBytes = positive("response.maxBytes", config.response_maxBytes());
        systemPrompt = config.system_prompt() == null ? "" : config.system_prompt().strip();
        prompts = Map.of("chat", text(config.prompt_chat()), "generate", text(config.prompt_generate()),
                "caption", text(config.prompt_caption()), "tag", text(config.prompt_tag()));
        bodyOptions = bodyOptions(config.body_options());
        embedBatchSize = range("ai.batch.batchSize", config.ai_batch_batchSize(), 1, 1024);
        range("ai.batch.concurrency", config.ai_batch_concurrency(), 1, 256);
        try {
            lifecycle = LifecycleMode.valueOf(config.lifecycle().trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("lifecycle must be 'auto' or 'none', not '" + config.lifecycle() + "'");
        }
        routerCapacity = range("lifecycle.capacity", config.lifecycle_capacity(), 1, 1024);
        lifecycleTimeout = Duration.ofMillis(positive("lifecycle.timeout.ms", config.lifecycle_timeout_ms()));
        slot = SlotNames.resolve(config.ai_batch_slot(), RUNTIME, baseUrl);
    }

    static OpenAiSettings from(OpenAiConfig config) {
        return new OpenAiSettings(config);
    }

    private static URI baseUrl(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("baseUrl must be set, e.g. http://127.0.0.1:8080/v1");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            // The text may hold credentials: name the key and the problem, not the value.
            throw new IllegalArgumentException("baseUrl is not a valid URL: " + e.getReason());
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must not carry credentials: put the key in .apiKey");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http or https URL with a host, e.g. "
                    + "http://127.0.0.1:8080/v1");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + path);
    }

    private static ObjectNode bodyOptions(String text) {
        if (text == null || text.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body.options is not valid JSON: " + e.getOriginalMessage());
        }
        throw new IllegalArgumentException("body.options must be a JSON object, e.g. {\"temperature\":0.2}");
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static long positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be above 0, not " + value);
        }
        return value;
    }

    private static int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    /** @return the API root, e.g. {@code http://127.0.0.1:8080/v1}, without a trailing slash */
    URI baseUrl() {
        return baseUrl;
    }

    /**
     * The server root that llama.cpp's router endpoints hang off: the base URL without a final {@code /v1}.
     *
     * @return e.g. {@code http://127.0.0.1:8080}
     */
    URI serverRoot() {
        String text = baseUrl.toString();
        return URI.create(text.endsWith("/v1") ? text.substring(0, text.length() - 3) : text);
    }

    String apiKey() {
        return apiKey;
    }

    List<String> models() {
        return models;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    long maxResponseBytes() {
        return maxResponseBytes;
    }

    String systemPrompt() {
        return systemPrompt;
    }

    /** @return the prompt template of each chat operation */
    Map<String, String> prompts() {
        return prompts;
    }

    ObjectNode bodyOptions() {
        return bodyOptions.deepCopy();
    }

    int embedBatchSize() {
        return embedBatchSize;
    }

    LifecycleMode lifecycle() {
        return lifecycle;
    }

    int routerCapacity() {
        return routerCapacity;
    }

    Duration lifecycleTimeout() {
        return lifecycleTimeout;
    }

    /** @return the slot the handler and lifecycle declare ({@code ai.batch.slot}), or empty for none */
    Optional<String> slot() {
        return slot;
    }

    @Override
    public String toString() {
        return "OpenAiSettings[" + baseUrl + ", models " + models + ", slot " + slot.orElse("none") + ", api key "
                + (apiKey.isEmpty() ? "none" : "set") + ", timeout " + requestTimeout.toMillis() + " ms]";
    }
}

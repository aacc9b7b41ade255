package ai.batch.queue.ollama;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.batch.queue.runtime.kit.SlotNames;

/**
 * One server's configuration, checked once: every bad value fails with an {@link IllegalArgumentException}
 * naming its key.
 */
record OllamaSettings(URI baseUri, List<String> models, String keepAlive, Duration requestTimeout,
        Duration loadTimeout, Duration connectTimeout, ObjectNode options, Map<String, String> prompts,
        int capacity, long maxResponseBytes, Optional<String> slot) {

    static final String PROMPT_PREFIX = "prompt.";

    /**
     * A keep_alive of plain seconds: sent as a JSON number, since Ollama reads a JSON string as a Go duration and
     * answers 400 ("missing unit in duration") to "1.5".
     */
    private static final Pattern SECONDS = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)");

    OllamaSettings {
        models = List.copyOf(models);
        prompts = Map.copyOf(prompts);
    }

    /** What a slot derived from the server's address starts with: {@code ollama@host:port}. */
    static final String RUNTIME = "ollama";

    /**
     * @param config the configuration
     * @param properties the same configuration as a map, for the {@code prompt.<operation>} keys it may add
     * @param json the mapper the options are read with
     */
    static OllamaSettings from(OllamaConfig config, Map<String, ?> properties, ObjectMapper json) {
        URI base = baseUri(config.baseUrl());
        String[] resources = config.ai_batch_resource();
        if (resources == null || resources.length == 0) {
            throw new IllegalArgumentException("ai.batch.resource must name at least one model");
        }
        for (String model : resources) {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("ai.batch.resource holds a blank model name");
            }
            if (model.equals("*")) {
                throw new IllegalArgumentException("ai.batch.resource must name models, not \"*\": the lifecycle "
                        + "loads them by name");
            }
        }
        String keepAlive = config.keepAlive() == null ? "" : config.keepAlive().trim();
        if (!SECONDS.matcher(keepAlive).matches() && !GoDuration.valid(keepAlive)) {
            throw new IllegalArgumentException("keepAlive must be a number of seconds or a Go duration such as 5m, "
                    + "1h30m or -1 (forever), was '" + config.keepAlive() + "'");
        }
        Map<String, String> prompts = new HashMap<>();
        prompts.put("generate", config.prompt_generate());
        prompts.put("caption", config.prompt_caption());
        prompts.put("tag", config.prompt_tag());
        properties.forEach((key, value) -> {
            if (key.startsWith(PROMPT_PREFIX) && key.length() > PROMPT_PREFIX.length() && value != null) {
                prompts.put(key.substring(PROMPT_PREFIX.length()), String.valueOf(value));
            }
        });
        return new OllamaSettings(base, List.of(resources), keepAlive,
                positive("requestTimeoutMs", config.requestTimeoutMs()),
                positive("loadTimeoutMs", config.loadTimeoutMs()),
                positive("connectTimeoutMs", config.connectTimeoutMs()),
                options(config.options(), json), prompts,
                atLeast("capacity", config.capacity(), 1),
                atLeast("maxResponseBytes", config.maxResponseBytes(), 1024),
                SlotNames.resolve(config.ai_batch_slot(), RUNTIME, base));
    }

    /** @return the keep_alive as JSON: plain seconds as a number (Ollama's rule), a Go duration as the string */
    JsonNode keepAliveJson(ObjectMapper json) {
        if (SECONDS.matcher(keepAlive).matches()) {
            BigDecimal seconds = new BigDecimal(keepAlive.startsWith("+") ? keepAlive.substring(1) : keepAlive);
            return seconds.stripTrailingZeros().scale() <= 0
                    ? json.getNodeFactory().numberNode(seconds.longValue())
                    : json.getNodeFactory().numberNode(seconds.doubleValue());
        }
        return json.getNodeFactory().textNode(keepAlive);
    }

    private static URI baseUri(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            // the text may hold a password: name the key and the problem, never the value
            throw new IllegalArgumentException("baseUrl is not a valid URL: " + e.getReason());
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            // it would show in every item's error, the logs and the services' properties
            throw new IllegalArgumentException("baseUrl must not carry a login (user:password@host): Ollama has "
                    + "none; put an authenticating proxy's address without it");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http or https URL with a host, was '" + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // never sent (each call resolves its own path), and a token there would show in every error
            throw new IllegalArgumentException("baseUrl must not have a query or fragment");
        }
        String text = uri.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    private static ObjectNode options(String text, ObjectMapper json) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(text);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("options is not valid JSON: " + e.getOriginalMessage(), e);
        }
        throw new IllegalArgumentException("options must be a JSON object such as {\"num_ctx\": 8192}, was '"
                + text + "'");
    }

    private static Duration positive(String key, long ms) {
        if (ms <= 0) {
            throw new IllegalArgumentException(key + " must be above 0, was " + ms);
        }
        return Duration.ofMillis(ms);
    }

    private static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    private static long atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
        return value;
    }
}

package ai.batch.queue.openai;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds request bodies from items, the same way for live requests and for batch files, and reads the answers.
 */
final class Requests {

    /** The operations sent to {@code /chat/completions}. */
    static final Set<String> CHAT_OPERATIONS = Set.of("chat", "generate", "caption", "tag");

    /** The operation sent to {@code /embeddings}. */
    static final String EMBED = "embed";

    private final String systemPrompt;
    private final Map<String, String> prompts;
    private final ObjectNode bodyOptions;

    Requests(OpenAiSettings settings) {
        this(settings.systemPrompt(), settings.prompts(), settings.bodyOptions());
    }

    private Requests(String systemPrompt, Map<String, String> prompts, ObjectNode bodyOptions) {
        this.systemPrompt = systemPrompt;
        this.prompts = Map.copyOf(prompts);
        this.bodyOptions = bodyOptions.deepCopy();
    }

    /** @return requests with the configuration's default prompts, no system prompt and no extra options */
    static Requests defaults() {
        Map<String, String> prompts = new HashMap<>();
        for (String operation : CHAT_OPERATIONS) {
            try {
                prompts.put(operation, (String) OpenAiConfig.class.getMethod("prompt_" + operation).getDefaultValue());
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("OpenAiConfig has no prompt_" + operation, e);
            }
        }
        return new Requests("", prompts, Json.MAPPER.createObjectNode());
    }

    static boolean supports(String operation) {
        return EMBED.equals(operation) || CHAT_OPERATIONS.contains(operation);
    }

    static String unsupported(String operation) {
        return "operation '" + operation + "' is not supported: use chat, generate, caption, tag or embed";
    }

    /** @return the endpoint below the API root, e.g. {@code /chat/completions} */
    static String endpoint(String operation) {
        return EMBED.equals(operation) ? "/embeddings" : "/chat/completions";
    }

    /**
     * @param model the model
     * @param operation a chat operation
     * @param input the item
     * @return the body of a non-streaming chat completion
     */
    ObjectNode chat(String model, String operation, ItemInput input) {
        ObjectNode body = bodyOptions.deepCopy();
        body.put("model", model);
        body.put("stream", false);
        ArrayNode messages = body.putArray("messages");
        if (!systemPrompt.isEmpty()) {
            messages.addObject().put("role", "system").put("content", systemPrompt);
        }
        String text = userText(operation, input.prompt());
        ObjectNode user = messages.addObject().put("role", "user");
        if (input.imageUrls().isEmpty()) {
            user.put("content", text);
        } else {
            ArrayNode content = user.putArray("content");
            if (!text.isEmpty()) {
                content.addObject().put("type", "text").put("text", text);
            }
            for (String url : input.imageUrls()) {
                content.addObject().put("type", "image_url").putObject("image_url").put("url", url);
            }
        }
        return body;
    }

    private String userText(String operation, String prompt) {
        String template = prompts.get(operation);
        if (template == null || template.isEmpty()) {
            return prompt;
        }
        return template.contains("{prompt}") ? template.replace("{prompt}", prompt).strip()
                : (template + (prompt.isEmpty() ? "" : "\n\n" + prompt)).strip();
    }

    /**
     * @param model the model
     * @param texts the texts, in order; the answer's {@code index} refers to these positions
     * @return the body of an embeddings request
     */
    ObjectNode embed(String model, List<String> texts) {
        // The extra options are for chat: an embeddings endpoint may refuse fields it does not know.
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", model);
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        return body;
    }

    /**
     * @param answer a chat completion
     * @return {@code choices[0].message.content}
     * @throws IllegalArgumentException when the answer has no text content there; for a model that refused
     *         (a {@code refusal} text instead of content), "refused: " and its words
     */
    static String chatContent(JsonNode answer) {
        JsonNode message = answer.path("choices").path(0).path("message");
        JsonNode content = message.path("content");
        JsonNode refusal = message.path("refusal");
        if (!content.isTextual() && refusal.isTextual()) {
            // A refusal is no answer to store as the item's output (a caller reading tags or a caption would take
            // the apology for one), and trying again gets the same refusal: the item fails for good, keeping the
            // model's words.
            throw new IllegalArgumentException("refused: " + refusal.asText());
        }
        if (!content.isTextual()) {
            throw new IllegalArgumentException("the answer has no choices[0].message.content text");
        }
        return content.asText();
    }

    /**
     * @param answer an embeddings answer
     * @param count how many inputs were sent
     * @return the embedding of each input as JSON text, at the input's position ({@code index}); {@code null}
     *         where the answer has none
     * @throws IllegalArgumentException when the answer has no {@code data} list or an index out of range
     */
    static List<String> embeddings(JsonNode answer, int count) {
        JsonNode data = answer.get("data");
        if (data == null || !data.isArray()) {
            throw new IllegalArgumentException("the answer has no 'data' list of embeddings");
        }
        String[] vectors = new String[count];
        for (int position = 0; position < data.size(); position++) {
            JsonNode entry = data.get(position);
            int index = entry.has("index") ? entry.get("index").asInt(-1) : position;
            JsonNode embedding = entry.get("embedding");
            if (index < 0 || index >= count) {
                throw new IllegalArgumentException("the answer has an embedding for index " + index + " of "
                        + count + " inputs");
            }
            if (embedding == null || !(embedding.isArray() || embedding.isTextual())) {
                throw new IllegalArgumentException("the embedding at index " + index + " has no 'embedding'");
            }
            vectors[index] = embedding.isTextual() ? embedding.asText() : Json.write(embedding);
        }
        return new ArrayList<>(Arrays.asList(vectors));
    }
}

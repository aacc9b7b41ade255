package ai.batch.queue.ollama;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the request bodies from item data. Every body carries the same {@code keep_alive} and the same
 * {@code options}: Ollama keeps the most recent keep_alive and reloads a model whose load options change, so
 * sending them identically everywhere keeps both predictable.
 *
 * <p>The item data contract:
 * <ul>
 * <li>a {@code String}: the text; but an absolute path of an existing file is an image, read and sent in base64,
 * with the file name as the text;</li>
 * <li>a {@code byte[]}, {@link Path} or {@link File}: an image;</li>
 * <li>a {@code Map}: {@code "prompt"} (the whole prompt, no template), {@code "images"} (a list of paths, base64
 * strings or byte arrays), {@code "system"}; for chat {@code "messages"} (Ollama's list of {@code role},
 * {@code content}, {@code images}); for embed {@code "input"}.</li>
 * </ul>
 */
final class Requests {

    static final String INPUT = "{input}";

    private final OllamaSettings settings;
    private final ObjectMapper json;

    Requests(OllamaSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    /** The fields every request has: model, keep_alive and options. */
    ObjectNode base(String model) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        body.set("keep_alive", settings.keepAliveJson(json));
        body.set("options", settings.options());
        return body;
    }

    /** A load: a generate request without a prompt, which Ollama answers once the model is ready. */
    ObjectNode preload(String model) {
        return base(model).put("stream", false);
    }

    /** An unload: keep_alive 0 and no prompt. */
    ObjectNode unload(String model) {
        ObjectNode body = base(model).put("stream", false);
        body.put("keep_alive", 0);
        return body;
    }

    ObjectNode generate(String model, String operation, Object data) throws BadData {
        ObjectNode body = base(model).put("stream", true);
        Prompt prompt = prompt(operation, data);
        body.put("prompt", prompt.text());
        if (!prompt.images().isEmpty()) {
            body.set("images", prompt.images());
        }
        if (data instanceof Map<?, ?> map && map.get("system") instanceof String system) {
            body.put("system", system);
        }
        return body;
    }

    ObjectNode chat(String model, String operation, Object data) throws BadData {
        ObjectNode body = base(model).put("stream", true);
        ArrayNode messages = body.putArray("messages");
        if (data instanceof Map<?, ?> map && map.get("messages") instanceof List<?> list) {
            for (Object entry : list) {
                if (!(entry instanceof Map<?, ?> message) || !(message.get("role") instanceof String role)) {
                    throw new BadData("each of \"messages\" must be a map with a \"role\" and a \"content\"");
                }
                ObjectNode node = messages.addObject().put("role", role)
                        .put("content", message.get("content") == null ? "" : String.valueOf(message.get("content")));
                if (message.get("images") instanceof List<?> images) {
                    node.set("images", images(images));
                }
            }
            return body;
        }
        if (data instanceof Map<?, ?> map && map.get("system") instanceof String system) {
            messages.addObject().put("role", "system").put("content", system);
        }
        Prompt prompt = prompt(operation, data);
        ObjectNode user = messages.addObject().put("role", "user").put("content", prompt.text());
        if (!prompt.images().isEmpty()) {
            user.set("images", prompt.images());
        }
        return body;
    }

    ObjectNode embed(String model, List<String> inputs) {
        ObjectNode body = base(model);
        ArrayNode input = body.putArray("input");
        inputs.forEach(input::add);
        return body;
    }

    /** The text an embed item stands for. */
    static String embedInput(Object data) throws BadData {
        if (data instanceof String text) {
            return text;
        }
        if (data instanceof Map<?, ?> map) {
            Object input = map.containsKey("input") ? map.get("input") : map.get("prompt");
            if (input instanceof String text) {
                return text;
            }
        }
        throw new BadData("embed takes a String or a Map with an \"input\" String, not " + typeOf(data));
    }

    private record Prompt(String text, ArrayNode images) {
    }

    private Prompt prompt(String operation, Object data) throws BadData {
        ArrayNode images = json.createArrayNode();
        String input;
        if (data instanceof Map<?, ?> map) {
            if (map.get("images") instanceof List<?> list) {
                images = images(list);
            } else if (map.get("images") != null) {
                throw new BadData("\"images\" must be a list of file paths, base64 strings or byte arrays");
            }
            if (map.get("prompt") instanceof String prompt) {
                return new Prompt(prompt, images); // the caller's own prompt: no template
            }
            input = "";
        } else if (data instanceof String text) {
            Path file = existingFile(text);
            if (file != null) {
                images.add(read(file));
                input = String.valueOf(file.getFileName());
            } else {
                input = text;
            }
        } else if (data instanceof byte[] || data instanceof Path || data instanceof File) {
            images.add(image(data));
            input = data instanceof byte[] ? "" : String.valueOf(pathOf(data).getFileName());
        } else {
            throw new BadData("item data must be a String, a Map, a byte[] or a file path, not " + typeOf(data));
        }
        String template = settings.prompts().getOrDefault(operation, INPUT);
        if (template.contains(INPUT)) {
            return new Prompt(template.replace(INPUT, input), images);
        }
        boolean textItem = images.isEmpty() && !input.isEmpty();
        return new Prompt(textItem ? template + "\n\n" + input : template, images);
    }

    private ArrayNode images(List<?> list) throws BadData {
        ArrayNode images = json.createArrayNode();
        for (Object entry : list) {
            images.add(image(entry));
        }
        return images;
    }

    private static String image(Object entry) throws BadData {
        if (entry instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (entry instanceof Path || entry instanceof File) {
            return read(pathOf(entry));
        }
        if (entry instanceof String text) {
            Path file = existingFile(text);
            return file != null ? read(file) : text; // not a file: taken as base64 already
        }
        throw new BadData("an image must be a file path, a base64 String or a byte[], not " + typeOf(entry));
    }

    private static Path pathOf(Object entry) {
        return entry instanceof File file ? file.toPath() : (Path) entry;
    }

    private static Path existingFile(String text) {
        if (text.isEmpty() || text.length() > 4096 || text.indexOf('\n') >= 0) {
            return null;
        }
        try {
            Path path = Path.of(text);
            return path.isAbsolute() && Files.isRegularFile(path) ? path : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String read(Path file) throws BadData {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        } catch (IOException | OutOfMemoryError e) {
            throw new BadData("cannot read image " + file + ": " + e);
        }
    }

    private static String typeOf(Object data) {
        return data == null ? "null" : data.getClass().getName();
    }

    /** Item data this bundle cannot send; fails the item for good. */
    static final class BadData extends Exception {

        private static final long serialVersionUID = 1L;

        BadData(String message) {
            super(message);
        }
    }
}

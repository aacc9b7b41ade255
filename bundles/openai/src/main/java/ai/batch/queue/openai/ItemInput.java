package ai.batch.queue.openai;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an item's data means to this handler:
 * <ul>
 * <li>a {@link CharSequence}: the prompt (chat operations) or the text to embed;</li>
 * <li>a {@link Map} with {@code "prompt"} (or {@code "text"}) and optional {@code "images"}: a String or a list of
 * Strings, each a {@code data:} URI, a file path, or base64 image data;</li>
 * <li>a {@link Path} or {@link File}: one image, with the operation's prompt alone.</li>
 * </ul>
 * Anything else is refused with an {@link IllegalArgumentException} that says what is accepted.
 */
record ItemInput(String prompt, List<String> imageUrls) {

    /** The largest image file read into a request. */
    static final long MAX_IMAGE_BYTES = 64L * 1024 * 1024;

    static ItemInput of(Object data) {
        if (data instanceof CharSequence text) {
            return new ItemInput(text.toString(), List.of());
        }
        if (data instanceof Path path) {
            return new ItemInput("", List.of(fromFile(path, 1)));
        }
        if (data instanceof File file) {
            return new ItemInput("", List.of(fromFile(file.toPath(), 1)));
        }
        if (data instanceof Map<?, ?> map) {
            Object prompt = map.containsKey("prompt") ? map.get("prompt") : map.get("text");
            if (prompt != null && !(prompt instanceof CharSequence)) {
                throw new IllegalArgumentException("'prompt' must be a String, not a "
                        + prompt.getClass().getName());
            }
            return new ItemInput(prompt == null ? "" : prompt.toString(), images(map.get("images")));
        }
        throw new IllegalArgumentException("item data of type " + (data == null ? "null" : data.getClass().getName())
                + " is not supported: use a String, a Path to an image, or a Map with 'prompt' and 'images'");
    }

    private static List<String> images(Object images) {
        if (images == null) {
            return List.of();
        }
        List<Object> list = images instanceof Collection<?> c ? new ArrayList<>(c)
                : images instanceof Object[] array ? List.of(array) : List.of(images);
        List<String> urls = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            urls.add(image(list.get(i), i + 1));
        }
        return urls;
    }

    private static String image(Object image, int number) {
        if (image instanceof Path path) {
            return fromFile(path, number);
        }
        if (image instanceof File file) {
            return fromFile(file.toPath(), number);
        }
        if (!(image instanceof CharSequence)) {
            throw new IllegalArgumentException("image " + number + " must be a String (data URI, file path or "
                    + "base64), not " + (image == null ? "null" : image.getClass().getName()));
        }
        String text = image.toString().strip();
        if (text.startsWith("data:")) {
            return text;
        }
        Path path = asExistingFile(text);
        if (path != null) {
            return fromFile(path, number);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("image " + number + " is neither a readable file nor base64 data: "
                    + (text.length() > 80 ? text.substring(0, 80) + "…" : text));
        }
        return "data:" + mediaType(bytes, null) + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static Path asExistingFile(String text) {
        if (text.length() > 4096) {
            return null;
        }
        try {
            Path path = Path.of(text);
            return Files.isRegularFile(path) ? path : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String fromFile(Path path, int number) {
        try {
            long size = Files.size(path);
            if (size > MAX_IMAGE_BYTES) {
                throw new IllegalArgumentException("image " + number + " (" + path + ") is larger than "
                        + MAX_IMAGE_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(path);
            return "data:" + mediaType(bytes, path.getFileName().toString()) + ";base64,"
                    + Base64.getEncoder().encodeToString(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("image " + number + " (" + path + ") cannot be read: " + e);
        }
    }

    /** The image's media type from its first bytes, else from the file name; PNG when neither tells. */
    static String mediaType(byte[] bytes, String name) {
        if (startsWith(bytes, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (startsWith(bytes, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(bytes, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (bytes.length >= 12 && startsWith(bytes, 'R', 'I', 'F', 'F') && bytes[8] == 'W' && bytes[9] == 'E'
                && bytes[10] == 'B' && bytes[11] == 'P') {
            return "image/webp";
        }
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (lower.endsWith(".webp")) {
            return "image/webp";
        }
        if (lower.endsWith(".gif")) {
            return "image/gif";
        }
        return "image/png";
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

package ai.batch.queue.openai;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.runtime.kit.SecretMask;

/**
 * A job as an OpenAI Batch input file, and the Batch output (or error) file back as one result per item.
 *
 * <p>Export writes one line per PENDING item, {@code custom_id} being the item id:
 * {@code {"custom_id":…,"method":"POST","url":"/v1/chat/completions","body":{…}}} (or {@code /v1/embeddings}
 * with a one-element {@code input}), with the same bodies the handler sends. Import reads lines of the form
 * {@code {"id":…,"custom_id":…,"response":{"status_code":…,"body":{…}},"error":…}}: a 2xx response gives a
 * success with the same output as the handler ({@code choices[0].message.content}, or the embedding as JSON),
 * anything else a failure with the server's error; a {@code refusal} instead of content fails the item with
 * "refused: " and the model's words. Lines whose {@code custom_id} is no item of the job, items without a line, and
 * lines that cannot be read are reported, never guessed at. A leading byte order mark is skipped.
 *
 * <p>Export follows OpenAI's rules for input files: at most 50,000 requests and 200 MB per file (a larger job is
 * split, see {@link BatchFileWriter}), no empty embedding input (the item is left out, saying why), and nothing on
 * disk unless the export succeeds.
 */
public final class OpenAiBatchFiles {

    /** What an export wrote. */
    public record ExportReport(int written, Map<String, String> skipped, List<Path> files) {
    }

    /** What an import read: results by item id, in file order, and what did not fit. */
    public record ImportReport(Map<String, ItemResult> results, List<String> unknownCustomIds,
            List<String> missingItemIds, List<String> problems) {
    }

    private final Requests requests;
    private final SecretMask mask;

    /**
     * @param requests how bodies are built
     * @param mask takes the key of the server whose settings are used out of what the file says: a result file is
     *        a server's text like any answer
     */
    OpenAiBatchFiles(Requests requests, SecretMask mask) {
        this.requests = requests;
        this.mask = mask;
    }

    /** @return batch files built with the default prompts and no extra body options */
    public static OpenAiBatchFiles withDefaults() {
        return new OpenAiBatchFiles(Requests.defaults(), SecretMask.NONE);
    }

    /**
     * Writes the job's PENDING items as Batch input lines, split over numbered files when the job passes OpenAI's
     * limits (see {@link BatchFileWriter}). Nothing is left on disk unless the export succeeds.
     *
     * @param job the job; its operation must be one the handler supports
     * @param file where the lines go; a job over the limits goes to {@code name-001.jsonl}, … beside it instead
     * @return how many lines were written, the items left out with why, and the files written
     * @throws IOException when writing fails
     * @throws IllegalArgumentException for an operation the handler does not support, or when no item can be
     *         written (an empty file would only be refused on upload)
     */
    public ExportReport export(BatchJob<?> job, Path file) throws IOException {
        return export(job, new BatchFileWriter(file));
    }

    ExportReport export(BatchJob<?> job, BatchFileWriter writer) throws IOException {
        String operation = job.operation();
        if (!Requests.supports(operation)) {
            throw new IllegalArgumentException("Job " + job.id() + ": " + Requests.unsupported(operation));
        }
        Map<String, String> skipped = new LinkedHashMap<>();
        int pending = 0;
        try (writer) {
            for (BatchItem<?> item : job.items()) {
                if (item.status() != BatchItemStatus.PENDING) {
                    continue;
                }
                pending++;
                String line;
                try {
                    line = line(job, item);
                } catch (IllegalArgumentException e) {
                    skipped.put(item.id(), e.getMessage());
                    continue;
                }
                if (!writer.fits(line.getBytes(StandardCharsets.UTF_8).length + 1L)) {
                    skipped.put(item.id(), "its request is larger than a batch file may be (200 MB)");
                    continue;
                }
                writer.add(line);
            }
            if (writer.lines() == 0) {
                throw new IllegalArgumentException("Job " + job.id() + ": no request to write, so no file was "
                        + "written (" + pending + " PENDING item" + (pending == 1 ? "" : "s")
                        + (skipped.isEmpty() ? "" : "; left out: " + skipped) + ")");
            }
            List<Path> files = writer.commit();
            return new ExportReport(writer.lines(), Collections.unmodifiableMap(skipped), List.copyOf(files));
        }
    }

    private String line(BatchJob<?> job, BatchItem<?> item) {
        String operation = job.operation();
        ItemInput input = ItemInput.of(item.data());
        ObjectNode body;
        if (Requests.EMBED.equals(operation)) {
            if (!input.imageUrls().isEmpty()) {
                throw new IllegalArgumentException("embed takes text only, and this item has images");
            }
            if (input.prompt().isEmpty()) {
                // OpenAI's embeddings endpoint refuses an empty input; better said now than in the error file.
                throw new IllegalArgumentException("the text to embed is empty, and the embeddings API refuses "
                        + "empty input");
            }
            body = requests.embed(job.resourceKey(), List.of(input.prompt()));
        } else {
            body = requests.chat(job.resourceKey(), operation, input);
        }
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("custom_id", item.id());
        line.put("method", "POST");
        line.put("url", "/v1" + Requests.endpoint(operation));
        line.set("body", body);
        return Json.write(line);
    }

    /**
     * Reads a Batch output or error file and matches its lines to the job's items by {@code custom_id}.
     *
     * @param job the job the file was exported from
     * @param in the file
     * @return one result per matched item, and what did not match
     * @throws IOException when reading fails
     */
    public ImportReport read(BatchJob<?> job, Reader in) throws IOException {
        Set<String> itemIds = new LinkedHashSet<>();
        job.items().forEach(item -> itemIds.add(item.id()));
        Map<String, ItemResult> results = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        BufferedReader lines = new BufferedReader(in);
        String text;
        int number = 0;
        while ((text = lines.readLine()) != null) {
            number++;
            if (number == 1 && text.startsWith("\uFEFF")) {
                // A byte order mark, as some editors write: not part of the first line's JSON.
                text = text.substring(1);
            }
            if (text.isBlank()) {
                continue;
            }
            JsonNode line;
            try {
                line = Json.MAPPER.readTree(text);
            } catch (IOException e) {
                problems.add("line " + number + ": not JSON");
                continue;
            }
            String id = line.path("custom_id").asText(null);
            if (id == null) {
                problems.add("line " + number + ": no custom_id");
            } else if (!itemIds.contains(id)) {
                unknown.add(id);
            } else if (results.containsKey(id)) {
                problems.add("line " + number + ": a second result for item " + id + " (the first is kept)");
            } else {
                results.put(id, result(job, line, mask));
            }
        }
        List<String> missing = itemIds.stream().filter(id -> !results.containsKey(id)).toList();
        return new ImportReport(Collections.unmodifiableMap(results), List.copyOf(unknown), missing,
                List.copyOf(problems));
    }

    private static ItemResult result(BatchJob<?> job, JsonNode line, SecretMask mask) {
        String where = "Model '" + job.resourceKey() + "', job " + job.id() + ", item "
                + line.path("custom_id").asText() + ": batch result " + line.path("id").asText("(no id)");
        JsonNode error = line.get("error");
        if (error != null && !error.isNull()) {
            String message = ErrorBodies.message(Json.MAPPER.createObjectNode().set("error", error));
            return ItemResult.failure(where + ": " + mask.mask(message));
        }
        JsonNode response = line.path("response");
        int status = response.path("status_code").asInt(0);
        JsonNode body = response.path("body");
        if (status < 200 || status > 299) {
            String message = body.isObject() ? ErrorBodies.message(body) : null;
            return ItemResult.failure(where + ": HTTP " + status
                    + (message != null ? ": " + mask.mask(message) : ""));
        }
        try {
            return ItemResult.successWithOutput(mask.mask(Requests.EMBED.equals(job.operation())
                    ? Requests.embeddings(body, 1).get(0) : Requests.chatContent(body)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return ItemResult.failure(where + ": " + (e.getMessage() != null ? mask.mask(e.getMessage())
                    : "no embedding"));
        }
    }
}

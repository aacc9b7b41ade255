package ai.batch.queue.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.ItemResult;

class OpenAiBatchFilesTest {

    private final OpenAiBatchFiles files = OpenAiBatchFiles.withDefaults();

    private static BatchJob<String> job(String operation, String... texts) {
        List<BatchItem<String>> items = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            items.add(BatchItem.of("item-" + i, texts[i], SizeBucket.UNKNOWN));
        }
        return BatchJob.of("gpt-4o-mini", operation, OverwritePolicy.OVERWRITE, items).withId("job-1");
    }

    private static List<JsonNode> lines(String text) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            lines.add(FakeOpenAiServer.JSON.readTree(line));
        }
        return lines;
    }

    @TempDir
    Path dir;

    /** @return the text of the one file the export wrote */
    private String export(BatchJob<?> job) throws Exception {
        OpenAiBatchFiles.ExportReport report = files.export(job, dir.resolve(job.operation() + ".jsonl"));
        assertThat(report.files()).containsExactly(dir.resolve(job.operation() + ".jsonl").toAbsolutePath());
        return Files.readString(report.files().get(0));
    }

    @Test
    void exportWritesOneRequestLinePerPendingItem() throws Exception {
        OpenAiBatchFiles.ExportReport report = files.export(job("tag", "a beach", "a dog"), dir.resolve("t.jsonl"));

        assertThat(report.written()).isEqualTo(2);
        List<JsonNode> lines = lines(Files.readString(dir.resolve("t.jsonl")));
        assertThat(lines.get(1).path("custom_id").asText()).isEqualTo("item-1");
        assertThat(lines.get(1).path("method").asText()).isEqualTo("POST");
        assertThat(lines.get(1).path("url").asText()).isEqualTo("/v1/chat/completions");
        assertThat(lines.get(1).path("body").path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(lines.get(1).path("body").path("messages").get(0).path("content").asText())
                .startsWith("List five to ten short tags").endsWith("a dog");
    }

    @Test
    void embedExportsGoToTheEmbeddingsEndpoint() throws Exception {
        JsonNode line = lines(export(job("embed", "some text"))).get(0);
        assertThat(line.path("url").asText()).isEqualTo("/v1/embeddings");
        assertThat(line.path("body").path("input").get(0).asText()).isEqualTo("some text");
    }

    @Test
    void importMatchesResultsByCustomIdAndReportsErrorsUnknownAndMissing() throws Exception {
        BatchJob<String> job = job("chat", "one", "two", "three", "four");
        StringBuilder output = new StringBuilder();
        List<JsonNode> requests = lines(export(job));
        // Answered in another order than asked, as the Batch API does.
        output.append(success(requests.get(2))).append('\n');
        output.append(success(requests.get(0))).append('\n');
        output.append("{\"id\":\"batch_req_2\",\"custom_id\":\"item-1\",\"response\":{\"status_code\":400,"
                + "\"request_id\":\"r2\",\"body\":{\"error\":{\"message\":\"bad request\",\"type\":"
                + "\"invalid_request_error\"}}},\"error\":null}\n");
        output.append("{\"id\":\"batch_req_9\",\"custom_id\":\"item-99\",\"response\":{\"status_code\":200,"
                + "\"body\":{}},\"error\":null}\n");
        output.append("not json\n");

        OpenAiBatchFiles.ImportReport report = files.read(job, new StringReader(output.toString()));

        assertThat(report.results()).containsOnlyKeys("item-2", "item-0", "item-1");
        assertThat(report.results().get("item-0")).isEqualTo(ItemResult.successWithOutput("echo: one"));
        assertThat(report.results().get("item-2")).isEqualTo(ItemResult.successWithOutput("echo: three"));
        assertThat(report.results().get("item-1").error()).contains("HTTP 400", "bad request", "job-1", "item-1");
        assertThat(report.unknownCustomIds()).containsExactly("item-99");
        assertThat(report.missingItemIds()).containsExactly("item-3");
        assertThat(report.problems()).containsExactly("line 5: not JSON");
    }

    @Test
    void aJobOverTheSizeLimitIsSplitAndALineThatCanNeverFitIsLeftOut() throws Exception {
        BatchJob<String> job = job("chat", "a".repeat(100), "b".repeat(100), "c".repeat(10_000), "d".repeat(100));
        Path file = dir.resolve("sized.jsonl");

        // Room for about two short requests per file; the long one fits in none.
        OpenAiBatchFiles.ExportReport report = files.export(job, new BatchFileWriter(file, 50_000, 700));

        assertThat(report.written()).isEqualTo(3);
        assertThat(report.skipped()).containsOnlyKeys("item-2");
        assertThat(report.skipped().get("item-2")).contains("larger than a batch file may be");
        assertThat(report.files()).extracting(p -> p.getFileName().toString())
                .containsExactly("sized-001.jsonl", "sized-002.jsonl");
        assertThat(Files.readAllLines(report.files().get(0))).hasSize(2);
        assertThat(Files.readAllLines(report.files().get(1))).hasSize(1).allSatisfy(l -> assertThat(l)
                .contains("\"item-3\""));
        for (Path part : report.files()) {
            assertThat(Files.size(part)).isLessThanOrEqualTo(700);
        }
    }

    @Test
    void numberedNamesKeepTheExtension() {
        assertThat(BatchFileWriter.numbered(Path.of("/x/tags.jsonl"), 2)).isEqualTo(Path.of("/x/tags-002.jsonl"));
        assertThat(BatchFileWriter.numbered(Path.of("/x/tags"), 12)).isEqualTo(Path.of("/x/tags-012"));
        assertThat(BatchFileWriter.numbered(Path.of("/x/.hidden"), 1)).isEqualTo(Path.of("/x/.hidden-001"));
    }

    @Test
    void anErrorLineFailsItsItem() throws Exception {
        String line = "{\"id\":\"batch_req_1\",\"custom_id\":\"item-0\",\"response\":null,\"error\":{\"code\":"
                + "\"batch_expired\",\"message\":\"This request could not be executed before the completion window "
                + "expired.\"}}";

        OpenAiBatchFiles.ImportReport report = files.read(job("chat", "x"), new StringReader(line));

        assertThat(report.results().get("item-0").isSuccess()).isFalse();
        assertThat(report.results().get("item-0").error()).contains("completion window expired", "batch_expired");
    }

    @Test
    void embeddingResultsComeBackAsTheHandlerWouldGiveThem() throws Exception {
        String line = "{\"id\":\"b1\",\"custom_id\":\"item-0\",\"response\":{\"status_code\":200,\"body\":"
                + "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-0.25]}]}}"
                + ",\"error\":null}";

        OpenAiBatchFiles.ImportReport report = files.read(job("embed", "x"), new StringReader(line));

        assertThat(report.results().get("item-0")).isEqualTo(ItemResult.successWithOutput("[0.5,-0.25]"));
    }

    @Test
    void applyingAnImportClaimsAQueuedJobAndUpdatesOnlyPendingItems() throws Exception {
        BatchJob<String> job = job("chat", "one", "two");
        List<String> calls = new ArrayList<>();
        BatchQueue queue = recordingQueue(job, calls);
        OpenAiBatchFiles.ImportReport report = new OpenAiBatchFiles.ImportReport(
                Map.of("item-0", ItemResult.successWithOutput("hello"), "item-1", ItemResult.failure("bad")),
                List.of("item-99"), List.of(), List.of());

        String text = OpenAiBatchCommands.apply(queue, job, report, "out.jsonl");

        assertThat(calls).containsExactly("markRunning job-1", "updateItem item-0 COMPLETED hello",
                "updateItem item-1 FAILED bad", "getJob", "markCompleted job-1", "getJob");
        assertThat(text).contains("1 completed, 1 failed", "custom_id item-99 is no item of the job");
    }

    private static String success(JsonNode request) {
        String prompt = request.path("body").path("messages").get(0).path("content").asText();
        ObjectNode line = FakeOpenAiServer.JSON.createObjectNode().put("id", "batch_req_" + request.path("custom_id"))
                .put("custom_id", request.path("custom_id").asText());
        ObjectNode response = line.putObject("response").put("status_code", 200).put("request_id", "r");
        response.putObject("body").putArray("choices").addObject().put("index", 0).putObject("message")
                .put("role", "assistant").put("content", "echo: " + prompt);
        line.putNull("error");
        return line.toString();
    }

    /** A queue that records the calls an import makes; after them the job reads as all items done. */
    private static BatchQueue recordingQueue(BatchJob<String> job, List<String> calls) {
        return (BatchQueue) Proxy.newProxyInstance(BatchQueue.class.getClassLoader(),
                new Class<?>[] {BatchQueue.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "markRunning", "markCompleted" -> calls.add(method.getName() + " " + args[0]);
                        case "updateItem" -> calls.add("updateItem " + args[1] + " " + args[2] + " "
                                + (args[2] == BatchItemStatus.COMPLETED ? args[5] : args[3]));
                        case "getJob" -> {
                            calls.add("getJob");
                            boolean completed = calls.contains("markCompleted job-1");
                            List<BatchItem<String>> items = new ArrayList<>();
                            job.items().forEach(item -> items.add(item.withState(BatchItemStatus.COMPLETED, null,
                                    null, null)));
                            return Optional.of(BatchJob.restore(job.id(), job.resourceKey(), job.operation(),
                                    job.overwritePolicy(), items, completed ? BatchJobStatus.COMPLETED
                                            : BatchJobStatus.RUNNING, job.createdAt(), job.createdAt(), null, false, null));
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }
}

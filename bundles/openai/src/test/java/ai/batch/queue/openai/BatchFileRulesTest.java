package ai.batch.queue.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.ItemResult;

/**
 * Batch files against the formats and limits OpenAI documents for its Batch API ({@code BatchRequestInput},
 * {@code BatchRequestOutput}; at most 50,000 requests and 200 MB per input file), through the Gogo commands as a
 * user meets them. The sample lines are the Batch guide's own.
 */
class BatchFileRulesTest {

    /** The Batch guide's first input line. */
    static final String GUIDE_REQUEST = "{\"custom_id\": \"request-1\", \"method\": \"POST\", \"url\": "
            + "\"/v1/chat/completions\", \"body\": {\"model\": \"gpt-3.5-turbo-0125\", \"messages\": [{\"role\": "
            + "\"system\", \"content\": \"You are a helpful assistant.\"},{\"role\": \"user\", \"content\": "
            + "\"Hello world!\"}],\"max_tokens\": 1000}}";

    /** The Batch guide's output line. */
    static final String GUIDE_OUTPUT = "{\"id\": \"batch_req_123\", \"custom_id\": \"request-2\", \"response\": "
            + "{\"status_code\": 200, \"request_id\": \"req_123\", \"body\": {\"id\": \"chatcmpl-123\", \"object\": "
            + "\"chat.completion\", \"created\": 1711652795, \"model\": \"gpt-3.5-turbo-0125\", \"choices\": "
            + "[{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"Hello.\"}, \"logprobs\": null, "
            + "\"finish_reason\": \"stop\"}], \"usage\": {\"prompt_tokens\": 22, \"completion_tokens\": 2, "
            + "\"total_tokens\": 24}, \"system_fingerprint\": \"fp_123\"}}, \"error\": null}";

    /** The guide's output line, as a model that refuses answers. */
    static final String REFUSAL_OUTPUT = GUIDE_OUTPUT.replace("\"content\": \"Hello.\"",
            "\"content\": null, \"refusal\": \"I'm sorry, I can't help with that.\"");

    @TempDir
    Path dir;

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private static BatchJob<String> job(String operation, List<String> ids, List<String> texts) {
        List<BatchItem<String>> items = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            items.add(BatchItem.of(ids.get(i), texts.get(i), SizeBucket.UNKNOWN));
        }
        return BatchJob.of("gpt-3.5-turbo-0125", operation, OverwritePolicy.OVERWRITE, items).withId("job-7");
    }

    private static BatchJob<String> job(String operation, String... texts) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            ids.add("request-" + (i + 1));
        }
        return job(operation, ids, List.of(texts));
    }

    /** A queue holding one job; it records every call that would change something. */
    private BatchQueue queue(BatchJob<?> job) {
        return (BatchQueue) Proxy.newProxyInstance(BatchQueue.class.getClassLoader(),
                new Class<?>[] {BatchQueue.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getJob" -> job.id().equals(args[0]) ? Optional.of(job) : Optional.empty();
                    case "listJobs" -> List.of(job);
                    default -> {
                        calls.add(method.getName());
                        yield null;
                    }
                });
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void theExportHasTheGuidesShapeLineForLine() throws Exception {
        BatchJob<String> job = job("chat", "Hello world!");
        Path file = dir.resolve("tags.jsonl");

        new OpenAiBatchCommands(queue(job)).exportOpenai("job-7", file.toString());

        JsonNode ours = FakeOpenAiServer.JSON.readTree(lines(file).get(0));
        JsonNode guide = FakeOpenAiServer.JSON.readTree(GUIDE_REQUEST);
        List<String> ourKeys = new ArrayList<>();
        List<String> guideKeys = new ArrayList<>();
        ours.fieldNames().forEachRemaining(ourKeys::add);
        guide.fieldNames().forEachRemaining(guideKeys::add);
        assertThat(ourKeys).isEqualTo(guideKeys);
        assertThat(ours.path("custom_id").asText()).isEqualTo("request-1");
        assertThat(ours.path("url")).isEqualTo(guide.path("url"));
        assertThat(ours.path("body").path("messages").get(0).path("content").asText()).isEqualTo("Hello world!");
    }

    @Test
    void anEmptyEmbeddingTextIsLeftOutSayingWhy() throws Exception {
        BatchJob<String> job = job("embed", "", "some text");
        Path file = dir.resolve("embed.jsonl");

        String answer = new OpenAiBatchCommands(queue(job)).exportOpenai("job-7", file.toString());

        assertThat(lines(file)).hasSize(1).allSatisfy(line -> assertThat(line).contains("\"request-2\""));
        assertThat(answer).contains("Wrote 1 request", "left out request-1", "empty");
    }

    @Test
    void moreThan50000RequestsAreSplitIntoNumberedFiles() throws Exception {
        int count = 50_001;
        List<String> ids = new ArrayList<>(count);
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add("i" + i);
            texts.add("t" + i);
        }
        BatchJob<String> job = job("embed", ids, texts);
        Path file = dir.resolve("big.jsonl");

        String answer = new OpenAiBatchCommands(queue(job)).exportOpenai("job-7", file.toString());

        assertThat(file).doesNotExist();
        assertThat(lines(dir.resolve("big-001.jsonl"))).hasSize(50_000);
        assertThat(lines(dir.resolve("big-002.jsonl"))).containsExactly(
                "{\"custom_id\":\"i50000\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":"
                        + "{\"model\":\"gpt-3.5-turbo-0125\",\"input\":[\"t50000\"]}}");
        assertThat(answer).contains("Wrote 50001 requests", "2 files", "big-001.jsonl", "big-002.jsonl");
        try (var listing = Files.list(dir)) {
            assertThat(listing).as("no temporary file is left").hasSize(2);
        }
    }

    @Test
    void aRefusedExportLeavesNoFile() throws Exception {
        BatchJob<String> job = job("transcribe", "x");
        Path file = dir.resolve("refused.jsonl");

        Throwable refused = catchThrowable(() -> new OpenAiBatchCommands(queue(job)).exportOpenai("job-7",
                file.toString()));

        assertThat(refused).hasMessageContaining("'transcribe'");
        try (var listing = Files.list(dir)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void importingAnEmptyFileChangesNothingAndSaysSo() throws Exception {
        BatchJob<String> job = job("chat", "a", "b");
        Path file = Files.createFile(dir.resolve("empty.jsonl"));

        Throwable refused = catchThrowable(() -> new OpenAiBatchCommands(queue(job)).importOpenai("job-7",
                file.toString()));

        assertThat(refused).hasMessageContaining(file.toString()).hasMessageContaining("job-7")
                .hasMessageContaining("nothing was changed");
        assertThat(calls).isEmpty();
    }

    @Test
    void importingAFileMeantForAnotherJobChangesNothingAndSaysSo() throws Exception {
        List<String> ids = List.of("item-0", "item-1");
        BatchJob<String> job = job("chat", ids, List.of("a", "b"));
        Path file = Files.writeString(dir.resolve("other.jsonl"), GUIDE_OUTPUT + "\n");

        Throwable refused = catchThrowable(() -> new OpenAiBatchCommands(queue(job)).importOpenai("job-7",
                file.toString()));

        assertThat(refused).hasMessageContaining(file.toString()).hasMessageContaining("job-7")
                .hasMessageContaining("request-2").hasMessageContaining("nothing was changed");
        assertThat(calls).isEmpty();
    }

    @Test
    void aFileStartingWithAByteOrderMarkKeepsItsFirstLine() throws Exception {
        BatchJob<String> job = job("chat", "Hello world!", "Hello world!");

        OpenAiBatchFiles.ImportReport report = OpenAiBatchFiles.withDefaults().read(job,
                new StringReader("\uFEFF" + GUIDE_OUTPUT + "\n"));

        assertThat(report.problems()).isEmpty();
        assertThat(report.results().get("request-2")).isEqualTo(ItemResult.successWithOutput("Hello."));
    }

    @Test
    void aRefusalFailsTheItemKeepingItsWords() throws Exception {
        BatchJob<String> job = job("chat", "Hello world!", "Hello world!");

        OpenAiBatchFiles.ImportReport report = OpenAiBatchFiles.withDefaults().read(job,
                new StringReader(REFUSAL_OUTPUT + "\n"));

        ItemResult result = report.results().get("request-2");
        assertThat(result.isSuccess()).isFalse();
        assertThat(result.isRetryable()).isFalse();
        assertThat(result.error()).contains("batch_req_123", "refused: I'm sorry, I can't help with that.");
    }
}

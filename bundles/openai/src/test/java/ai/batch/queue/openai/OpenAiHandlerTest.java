package ai.batch.queue.openai;

import static ai.batch.queue.openai.TestSupport.KEY;
import static ai.batch.queue.openai.TestSupport.context;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

class OpenAiHandlerTest {

    /** The first bytes of a PNG file, enough for the media type. */
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0};

    private final TestSupport.RecordingLogger log = new TestSupport.RecordingLogger();
    private FakeOpenAiServer server;
    private final List<OpenAiHandler> handlers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = FakeOpenAiServer.plain("llava:13b", "nomic-embed").requireKey(KEY);
    }

    @AfterEach
    void stop() {
        handlers.forEach(OpenAiHandler::deactivate);
        server.close();
    }

    private OpenAiHandler handler(Object... pairs) {
        List<Object> all = new ArrayList<>(List.of(".apiKey", KEY));
        all.addAll(List.of(pairs));
        OpenAiHandler handler = new OpenAiHandler(TestSupport.settings(server.baseUrl(), all.toArray()),
                log.logger(), (lifecycle, properties) -> () -> { });
        handlers.add(handler);
        return handler;
    }

    @Test
    void chatSendsThePromptWithTheKeyAndReturnsTheMessageContent() throws Exception {
        ItemResult result = handler().process("Say hello", context("llava:13b", "chat", "item-1"));

        assertThat(result).isEqualTo(ItemResult.successWithOutput("echo: Say hello"));
        FakeOpenAiServer.Request request = server.requests("/v1/chat/completions").get(0);
        assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(request.body().path("model").asText()).isEqualTo("llava:13b");
        assertThat(request.body().path("stream").asBoolean(true)).isFalse();
        assertThat(request.body().path("messages").get(0).path("role").asText()).isEqualTo("user");
    }

    @Test
    void systemPromptTemplateAndBodyOptionsShapeTheRequest() throws Exception {
        OpenAiHandler handler = handler("system.prompt", "You are terse.", "prompt.generate", "Q: {prompt}",
                "body.options", "{\"temperature\":0.2,\"max_tokens\":64,\"model\":\"ignored\"}");

        ItemResult result = handler.process("why?", context("llava:13b", "generate", "item-1"));

        assertThat(result.output()).isEqualTo("echo: Q: why?");
        var body = server.requests("/v1/chat/completions").get(0).body();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("model").asText()).isEqualTo("llava:13b");
        assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("You are terse.");
    }

    @Test
    void captionSendsImagesFromFilesAndBase64AsDataUris(@TempDir Path dir) throws Exception {
        Path photo = Files.write(dir.resolve("photo.png"), PNG);
        Map<String, Object> data = Map.of("prompt", "It is a cat.",
                "images", List.of(photo.toString(), Base64.getEncoder().encodeToString(PNG)));

        ItemResult result = handler().process(data, context("llava:13b", "caption", "item-1"));

        assertThat(result.output()).startsWith("echo: Write a one-sentence caption").endsWith("[2 images]");
        var content = server.requests("/v1/chat/completions").get(0).body().path("messages").get(0).path("content");
        assertThat(content.get(1).path("type").asText()).isEqualTo("image_url");
        assertThat(content.get(1).path("image_url").path("url").asText()).startsWith("data:image/png;base64,");
        assertThat(content.get(2).path("image_url").path("url").asText())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG));
    }

    @Test
    void aPathIsOneImageWithTheOperationsPrompt(@TempDir Path dir) throws Exception {
        Path photo = Files.write(dir.resolve("photo.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0});

        ItemResult result = handler().process(photo, context("llava:13b", "tag", "item-1"));

        assertThat(result.output()).startsWith("echo: List five to ten short tags").endsWith("[1 images]");
        assertThat(server.requests("/v1/chat/completions").get(0).body().toString()).contains("data:image/jpeg;base64,");
    }

    @Test
    void dataItCannotUseFailsForGoodSayingWhatItTakes() throws Exception {
        ItemResult notSupported = handler().process(42, context("llava:13b", "chat", "item-7"));
        ItemResult badImage = handler().process(Map.of("prompt", "x", "images", List.of("/no/such/file.png!!")),
                context("llava:13b", "caption", "item-8"));

        assertThat(notSupported.isRetryable()).isFalse();
        assertThat(notSupported.error()).contains("job-1", "item-7", "java.lang.Integer", "String");
        assertThat(badImage.error()).contains("image 1 is neither a readable file nor base64");
        assertThat(server.requests("/v1/chat/completions")).isEmpty();
    }

    @Test
    void anUnknownOperationFailsNamingTheSupportedOnes() throws Exception {
        ItemResult result = handler().process("x", context("llava:13b", "transcribe", "item-1"));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.error()).contains("'transcribe'", "chat, generate, caption, tag or embed");
    }

    @Test
    void embeddingsMicroBatchedAndOneByOneGiveTheSameVectorsMatchedByIndex() throws Exception {
        OpenAiHandler handler = handler("ai.batch.batchSize", 8);
        List<Object> texts = List.of("alpha", "beta beta", "gamma", "delta delta delta", "epsilon");
        List<ItemContext> contexts = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            contexts.add(context("nomic-embed", "embed", "item-" + i));
        }

        List<ItemResult> batched = handler.processBatch(texts, contexts);
        List<ItemResult> single = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            single.add(handler.process(texts.get(i), contexts.get(i)));
        }

        assertThat(server.requests("/v1/embeddings")).hasSize(1 + texts.size());
        assertThat(server.requests("/v1/embeddings").get(0).body().path("input")).hasSize(texts.size());
        assertThat(batched).isEqualTo(single);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(batched.get(i).output())
                    .isEqualTo(FakeOpenAiServer.vector((String) texts.get(i)).toString());
        }
    }

    @Test
    void aBatchLeavesCancelledItemsOutOfTheRequest() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean(true);
        List<ItemResult> results = handler().processBatch(List.of("a", "b"), List.of(
                context("nomic-embed", "embed", "item-0", cancelled), context("nomic-embed", "embed", "item-1")));

        assertThat(results.get(0)).isEqualTo(ItemResult.failure("cancelled"));
        assertThat(results.get(1).isSuccess()).isTrue();
        assertThat(server.requests("/v1/embeddings").get(0).body().path("input")).hasSize(1);
    }

    @Test
    void anItemCancelledBeforeItsRequestIsNotSent() throws Exception {
        ItemResult result = handler().process("hi", context("llava:13b", "chat", "item-0", new AtomicBoolean(true)));

        assertThat(result).isEqualTo(ItemResult.failure("cancelled"));
        assertThat(server.requests("/v1/chat/completions")).isEmpty();
        assertThat(log.lines()).noneMatch(line -> line.contains("item-0"));
    }

    @Test
    void aFailedItemIsLoggedAsAWarningSayingItMayPass() throws Exception {
        handler().process("hi", context("busy", "chat", "item-3"));

        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("WARN Item item-3 of job job-1 failed "
                + "(may pass if tried again): Model 'busy', job job-1, item item-3: server ").contains("HTTP 429"));
    }

    @Test
    void chatOperationsInABatchGoOneRequestPerItem() throws Exception {
        List<ItemResult> results = handler().processBatch(List.of("one", "two"),
                List.of(context("llava:13b", "chat", "a"), context("llava:13b", "chat", "b")));

        assertThat(results).extracting(ItemResult::output).containsExactly("echo: one", "echo: two");
        assertThat(server.requests("/v1/chat/completions")).hasSize(2);
    }

    @Test
    void aServerErrorFailsEveryItemOfTheEmbeddingBatch() throws Exception {
        List<ItemResult> results = handler().processBatch(List.of("a", "b"),
                List.of(context("busy", "embed", "a"), context("busy", "embed", "b")));

        assertThat(results).allSatisfy(result -> {
            assertThat(result.isRetryable()).isTrue();
            assertThat(result.error()).contains("HTTP 429", "retry after 7 s");
            assertThat(result.retryAfter()).isEqualTo(java.time.Duration.ofSeconds(7));
        });
    }

    @Test
    void aRefusalFailsTheItemForGoodKeepingItsWords() throws Exception {
        ItemResult result = handler().process("hi", context("refuse", "chat", "item-1"));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.isRetryable()).isFalse();
        assertThat(result.error()).contains("job-1", "item-1", "refused: I'm sorry, I cannot help with that.");
    }

    @Test
    void theKeyIsNeverInErrorsLogsOrToString() throws Exception {
        OpenAiHandler handler = handler();
        ItemResult echoed = handler.process("hi", context("echo-key", "chat", "item-1"));
        OpenAiHandler wrongKey = new OpenAiHandler(TestSupport.settings(server.baseUrl(), ".apiKey", "sk-wrong-123"),
                log.logger(), (lifecycle, properties) -> () -> { });
        handlers.add(wrongKey);
        ItemResult refused = wrongKey.process("hi", context("llava:13b", "chat", "item-2"));

        assertThat(echoed.error()).contains("HTTP 401", "check the API key", "Bearer ***").doesNotContain(KEY);
        assertThat(refused.error()).contains("HTTP 401", "Incorrect API key provided", "check the API key")
                .doesNotContain("sk-wrong-123");
        assertThat(handler.toString()).doesNotContain(KEY).contains("api key set");
        assertThat(log.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(KEY, "sk-wrong-123"));
    }
}

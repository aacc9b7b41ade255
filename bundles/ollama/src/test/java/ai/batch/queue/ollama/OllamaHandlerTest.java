package ai.batch.queue.ollama;

import static ai.batch.queue.ollama.Items.config;
import static ai.batch.queue.ollama.Items.handler;
import static ai.batch.queue.ollama.Items.item;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

class OllamaHandlerTest {

    private static final String MODEL = "llava:13b";

    private final RecordingLogger log = new RecordingLogger();
    private FakeOllama server;
    private OllamaHandler handler;

    @BeforeEach
    void start() throws Exception {
        server = FakeOllama.start(MODEL, "nomic-embed-text");
        Map<String, Object> props = config(server.url(), MODEL, "nomic-embed-text");
        props.put("prompt.summary", "Summarize: {input}");
        handler = handler(props, log);
    }

    @AfterEach
    void stop() {
        handler.deactivate();
        server.close();
    }

    @Test
    void generateReadsTheWholeStreamIntoTheOutput() {
        ItemResult result = handler.process("Why is the sky blue?", item(MODEL, "generate", "i1"));

        assertThat(result.isSuccess()).as(result.toString()).isTrue();
        assertThat(result.output()).isEqualTo("You said: Why is the sky blue?");
        FakeOllama.Request request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/api/generate");
        assertThat(request.body().path("stream").asBoolean()).isTrue();
    }

    @Test
    void captionSendsAFileAsABase64ImageWithTheOperationsPrompt(@TempDir Path dir) throws Exception {
        Path photo = Files.write(dir.resolve("cat.jpg"), new byte[] { 1, 2, 3 });

        ItemResult result = handler.process(photo.toString(), item(MODEL, "caption", "i1"));

        assertThat(result.output()).isEqualTo("You said: Describe this image in one sentence. [1 image(s)]");
        assertThat(server.requests().get(0).body().path("images").get(0).asText()).isEqualTo("AQID");
    }

    @Test
    void tagTakesBytesAndAMapWithImagesAndItsOwnPrompt() {
        ItemResult bytes = handler.process(new byte[] { 1, 2, 3 }, item(MODEL, "tag", "i1"));
        ItemResult map = handler.process(Map.of("prompt", "Tags, please", "images", List.of("AQID", new byte[] { 4 })),
                item(MODEL, "tag", "i2"));

        assertThat(bytes.output()).startsWith("You said: List up to ten short tags").endsWith("[1 image(s)]");
        assertThat(map.output()).isEqualTo("You said: Tags, please [2 image(s)]");
    }

    @Test
    void anOperationWithAConfiguredTemplateFillsInTheText() {
        ItemResult result = handler.process("a long text", item(MODEL, "summary", "i1"));

        assertThat(result.output()).isEqualTo("You said: Summarize: a long text");
    }

    @Test
    void chatSendsATextAsOneUserMessageOrTheGivenMessages() {
        ItemResult text = handler.process("Hello", item(MODEL, "chat", "i1"));
        ItemResult messages = handler.process(Map.of("messages", List.of(
                Map.of("role", "system", "content", "Be brief."),
                Map.of("role", "user", "content", "Hi there"))), item(MODEL, "chat", "i2"));

        assertThat(text.output()).isEqualTo("You said: Hello (1 messages)");
        assertThat(messages.output()).isEqualTo("You said: Hi there (2 messages)");
        assertThat(server.requests()).extracting(FakeOllama.Request::path).containsOnly("/api/chat");
    }

    @Test
    void embedOutputsTheVectorAsAJsonArray() {
        ItemResult result = handler.process("four", item("nomic-embed-text", "embed", "i1"));

        assertThat(result.output()).isEqualTo("[4,0.5,-0.25]");
        assertThat(server.requests().get(0).body().path("input").isArray()).isTrue();
    }

    @Test
    void embedSendsAMicroBatchInOneRequest() throws Exception {
        List<ItemContext> contexts = List.of(item("nomic-embed-text", "embed", "a"),
                item("nomic-embed-text", "embed", "b"), item("nomic-embed-text", "embed", "c"));

        List<ItemResult> results = handler.processBatch(List.of("a", "bb", Map.of("input", "ccc")), contexts);

        assertThat(results).extracting(ItemResult::output).containsExactly("[1,0.5,-0.25]", "[2,0.5,-0.25]",
                "[3,0.5,-0.25]");
        assertThat(server.embedBatchSizes()).containsExactly(3);
    }

    @Test
    void aMicroBatchOfAnotherOperationRunsItemByItem() throws Exception {
        List<ItemResult> results = handler.processBatch(List.of("one", "two"),
                List.of(item(MODEL, "generate", "a"), item(MODEL, "generate", "b")));

        assertThat(results).extracting(ItemResult::output).containsExactly("You said: one", "You said: two");
    }

    @Test
    void aBadItemInAnEmbedBatchFailsAloneAndTheOthersAreSent() throws Exception {
        List<ItemResult> results = handler.processBatch(List.of("a", 42),
                List.of(item("nomic-embed-text", "embed", "a"), item("nomic-embed-text", "embed", "b")));

        assertThat(results.get(0).isSuccess()).isTrue();
        assertThat(results.get(1).isRetryable()).isFalse();
        assertThat(results.get(1).error()).contains("embed takes a String", "java.lang.Integer", "job job-1");
        assertThat(server.embedBatchSizes()).containsExactly(1);
    }

    @Test
    void unsupportedItemDataFailsForGoodNamingItsType() {
        ItemResult result = handler.process(3.14, item(MODEL, "generate", "i1"));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.isRetryable()).isFalse();
        assertThat(result.error()).contains("java.lang.Double", server.url(), MODEL);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void everyRequestCarriesTheSameKeepAliveAndOptions() throws Exception {
        handler.load(MODEL);
        handler.process("one", item(MODEL, "generate", "i1"));
        handler.process("two", item(MODEL, "chat", "i2"));
        handler.process("three", item("nomic-embed-text", "embed", "i3"));
        handler.unload(MODEL);

        ObjectMapper json = new ObjectMapper();
        List<FakeOllama.Request> requests = server.requests().stream().filter(r -> !r.path().equals("/api/ps"))
                .toList(); // the lifecycle's look at the loaded models around the load has no body
        assertThat(requests).hasSize(5);
        assertThat(requests).allSatisfy(r -> assertThat(r.body().path("options"))
                .isEqualTo(json.readTree("{\"num_ctx\": 8192, \"temperature\": 0.1}")));
        assertThat(requests.subList(0, 4)).allSatisfy(r -> assertThat(r.body().path("keep_alive").asText())
                .isEqualTo("5m"));
        assertThat(requests.get(4).body().path("keep_alive").asInt(-1)).isZero();
    }

    @Test
    void theLoadDurationReportedByTheServerIsKeptPerModel() {
        assertThat(handler.lastLoadDuration(MODEL)).isEmpty();

        handler.process("cold", item(MODEL, "generate", "i1"));
        Duration cold = handler.lastLoadDuration(MODEL).orElseThrow();
        handler.process("warm", item(MODEL, "generate", "i2"));
        Duration warm = handler.lastLoadDuration(MODEL).orElseThrow();

        assertThat(cold).isGreaterThanOrEqualTo(server.loadTime);
        assertThat(warm).isLessThan(cold);
    }

    @Test
    void promptsNeverReachTheInfoLog() {
        handler.process("my secret prompt", item(MODEL, "generate", "i1"));
        handler.process("my secret prompt", item("unknown-model", "generate", "i2"));

        assertThat(log.at("info")).isNotEmpty().noneMatch(line -> line.contains("secret"));
        assertThat(log.at("warn")).isNotEmpty().noneMatch(line -> line.contains("secret"));
    }
}

package ai.batch.queue.ollama;

import static ai.batch.queue.ollama.Items.config;
import static ai.batch.queue.ollama.Items.handler;
import static ai.batch.queue.ollama.Items.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.LoadedModel;

class ModelLifecycleTest {

    private static final String LLAVA = "llava:13b";
    private static final String MOONDREAM = "moondream";

    private final RecordingLogger log = new RecordingLogger();
    private FakeOllama server;
    private OllamaHandler handler;

    @BeforeEach
    void start() throws Exception {
        server = FakeOllama.start(LLAVA, MOONDREAM);
        handler = handler(config(server.url(), LLAVA, MOONDREAM), log);
    }

    @AfterEach
    void stop() {
        handler.deactivate();
        server.close();
    }

    @Test
    void preloadSendsNoPromptAndReturnsOnceTheModelIsLoaded() throws Exception {
        handler.load(LLAVA);

        assertThat(server.loadedNames()).containsExactly(LLAVA);
        assertThat(server.loads()).isEqualTo(1);
        // around the load, /api/ps: the lifecycle checks that the load evicted nothing
        assertThat(server.requests()).extracting(FakeOllama.Request::path)
                .containsExactly("/api/ps", "/api/generate", "/api/ps");
        FakeOllama.Request request = server.requests().get(1);
        assertThat(request.body().has("prompt")).isFalse();
        assertThat(handler.lastLoadDuration(LLAVA).orElseThrow()).isGreaterThanOrEqualTo(server.loadTime);
    }

    @Test
    void requestsAfterAPreloadNeverReloadBecauseOfOptions() throws Exception {
        handler.load(LLAVA);
        handler.process("a", item(LLAVA, "generate", "1"));
        handler.process("b", item(LLAVA, "caption", "2"));
        handler.process("c", item(LLAVA, "chat", "3"));
        handler.process("d", item(LLAVA, "embed", "4"));
        handler.load(LLAVA);

        assertThat(server.loads()).isEqualTo(1);
    }

    @Test
    void theFakeReloadsWhenLoadOptionsChangeSoTheCounterMeansSomething() throws Exception {
        handler.load(LLAVA);
        Map<String, Object> other = config(server.url(), LLAVA);
        other.put("options", "{\"num_ctx\": 2048}");
        OllamaHandler differentContext = handler(other, log);
        try {
            differentContext.process("a", item(LLAVA, "generate", "1"));
        } finally {
            differentContext.deactivate();
        }

        assertThat(server.loads()).isEqualTo(2);
    }

    @Test
    void unloadSendsKeepAliveZeroAndTheModelIsGone() throws Exception {
        handler.load(LLAVA);

        handler.unload(LLAVA);

        // Ollama answers the unload at once and frees the model a moment later
        await().atMost(Duration.ofSeconds(5)).until(() -> server.loadedNames().isEmpty());
        assertThat(handler.loadedModels()).isEmpty();
    }

    @Test
    void loadedModelsComeFromPsWithSizeAndExpiry() throws Exception {
        Instant before = Instant.now();
        handler.load(LLAVA);

        List<LoadedModel> loaded = handler.loadedModels();

        assertThat(loaded).hasSize(1);
        LoadedModel model = loaded.get(0);
        assertThat(model.resourceKey()).isEqualTo(LLAVA);
        assertThat(model.sizeBytes()).isEqualTo(4_000_000_000L);
        assertThat(model.expiresAt()).isBetween(before.plus(Duration.ofMinutes(5)),
                Instant.now().plus(Duration.ofMinutes(5)));
    }

    @Test
    void theServerEvictsAnIdleModelWhenFull() throws Exception {
        server.capacity = 1;
        handler.load(LLAVA);
        handler.process("x", item(MOONDREAM, "generate", "1"));

        assertThat(handler.loadedModels()).extracting(LoadedModel::resourceKey).containsExactly(MOONDREAM);
        assertThat(handler.capacity()).isEqualTo(1);
        assertThat(handler.evictsOnItsOwn()).isTrue();
    }

    @Test
    void theMostRecentKeepAliveWinsAndTheModelExpiresByItself() throws Exception {
        handler.load(LLAVA); // 5 minutes
        Map<String, Object> shortLived = config(server.url(), LLAVA);
        shortLived.put("keepAlive", "1s");
        OllamaHandler other = handler(shortLived, log);
        try {
            other.process("x", item(LLAVA, "generate", "1"));
            assertThat(handler.loadedModels().get(0).expiresAt()).isBefore(Instant.now().plusSeconds(2));

            await().atMost(Duration.ofSeconds(10)).until(() -> handler.loadedModels().isEmpty());
        } finally {
            other.deactivate();
        }
    }

    @Test
    void anUntaggedModelIsReportedUnderItsConfiguredName() throws Exception {
        server.close();
        server = FakeOllama.start("mistral:latest");
        OllamaHandler untagged = handler(config(server.url(), "mistral"), log);
        try {
            untagged.load("mistral:latest");

            assertThat(untagged.loadedModels()).extracting(LoadedModel::resourceKey).containsExactly("mistral");
        } finally {
            untagged.deactivate();
        }
    }

    @Test
    void aBatchOfItemsCountsAsRequestsOfTheLoadedModel() throws Exception {
        handler.load(MOONDREAM);
        List<ItemContext> contexts = List.of(item(MOONDREAM, "embed", "a"), item(MOONDREAM, "embed", "b"));

        handler.processBatch(List.of("a", "b"), contexts);

        assertThat(server.loads()).isEqualTo(1);
        assertThat(server.embedBatchSizes()).containsExactly(2);
    }
}

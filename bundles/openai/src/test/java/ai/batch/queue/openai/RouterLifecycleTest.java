package ai.batch.queue.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;

class RouterLifecycleTest {

    private final TestSupport.RecordingLogger log = new TestSupport.RecordingLogger();
    private final List<ModelLifecycle> registered = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> registeredProperties = new CopyOnWriteArrayList<>();
    private final AtomicInteger unregistered = new AtomicInteger();
    private FakeOpenAiServer server;
    private OpenAiHandler handler;

    @AfterEach
    void stop() {
        if (handler != null) {
            handler.deactivate();
        }
        if (server != null) {
            server.close();
        }
    }

    private OpenAiHandler handler(String baseUrl, String lifecycle) {
        handler = new OpenAiHandler(TestSupport.settings(baseUrl, "lifecycle", lifecycle, "ai.batch.resource",
                new String[] {"qwen", "gemma", "llava"}, "lifecycle.capacity", 2, "lifecycle.timeout.ms", 5_000L),
                log.logger(), (lifecycle1, properties) -> {
                    registered.add(lifecycle1);
                    registeredProperties.add(properties);
                    return unregistered::incrementAndGet;
                });
        return handler;
    }

    @Test
    void aRouterGetsALifecycleServiceForTheConfiguredModels() throws Exception {
        server = FakeOpenAiServer.router(2, "qwen", "gemma", "llava");
        handler(server.baseUrl(), "auto");

        await().atMost(Duration.ofSeconds(5)).until(() -> registered.size() == 1);
        assertThat((String[]) registeredProperties.get(0).get(BatchItemHandler.RESOURCE))
                .containsExactly("qwen", "gemma", "llava");
        ModelLifecycle lifecycle = registered.get(0);
        assertThat(lifecycle.capacity()).isEqualTo(2);
        assertThat(lifecycle.evictsOnItsOwn()).isTrue();
        assertThat(lifecycle.loadedModels()).isEmpty();

        handler.deactivate();
        handler = null;
        assertThat(unregistered).hasValue(1);
    }

    @Test
    void loadWaitsUntilLoadedCountsOnceAndTheRouterEvictsBeyondItsCapacity() throws Exception {
        server = FakeOpenAiServer.router(2, "qwen", "gemma", "llava");
        RouterLifecycle lifecycle = new RouterLifecycle(new OpenAiClient(TestSupport.settings(server.baseUrl())),
                TestSupport.settings(server.baseUrl(), "lifecycle.timeout.ms", 5_000L));

        lifecycle.load("qwen");
        lifecycle.load("qwen");
        assertThat(server.loads()).isEqualTo(1);
        assertThat(lifecycle.loadedModels()).extracting(LoadedModel::resourceKey).containsExactly("qwen");

        lifecycle.load("gemma");
        lifecycle.load("llava");
        assertThat(server.loads()).isEqualTo(3);
        assertThat(lifecycle.loadedModels()).extracting(LoadedModel::resourceKey).containsExactly("gemma", "llava");

        lifecycle.unload("gemma");
        lifecycle.unload("qwen");
        assertThat(lifecycle.loadedModels()).extracting(LoadedModel::resourceKey).containsExactly("llava");
        assertThat(server.requests("/models/unload")).hasSize(1);
        assertThat(server.requests("/models/load").get(0).body().path("model").asText()).isEqualTo("qwen");
    }

    @Test
    void loadingAModelTheRouterDoesNotHaveFailsNamingIt() throws Exception {
        server = FakeOpenAiServer.router(2, "qwen");
        RouterLifecycle lifecycle = new RouterLifecycle(new OpenAiClient(TestSupport.settings(server.baseUrl())),
                TestSupport.settings(server.baseUrl()));

        assertThatThrownBy(() -> lifecycle.load("mistral")).hasMessageContaining("'mistral'")
                .hasMessageContaining("[qwen]").hasMessageContaining(server.baseUrl());
    }

    @Test
    void aServerWithoutRouterEndpointsGetsNoLifecycleService() throws Exception {
        server = FakeOpenAiServer.plain("qwen");
        handler(server.baseUrl(), "auto");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> log.lines().stream().anyMatch(line -> line.contains("no model lifecycle service")));
        assertThat(registered).isEmpty();
    }

    @Test
    void lifecycleNoneNeverAsksForTheRouter() throws Exception {
        server = FakeOpenAiServer.router(2, "qwen");
        handler(server.baseUrl(), "none");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> log.lines().stream().anyMatch(line -> line.contains("lists the models [qwen]")));
        assertThat(server.requests("/models")).isEmpty();
        assertThat(registered).isEmpty();
    }

    @Test
    void aRouterThatIsDownAtActivationGetsItsServiceOnceItAnswers() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        handler("http://127.0.0.1:" + port + "/v1", "auto");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> log.lines().stream().anyMatch(line -> line.contains("not answering yet")));
        assertThat(registered).isEmpty();

        server = FakeOpenAiServer.routerOn(port, 2, "qwen");

        await().atMost(Duration.ofSeconds(10)).until(() -> registered.size() == 1);
    }
}

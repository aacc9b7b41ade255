package ai.batch.queue.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fake's rules, as Ollama's {@code server/sched.go} and {@code server/routes.go} have them: the numbers
 * measured against the fake are only worth these.
 */
class FakeOllamaTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeOllama server;

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void keepAliveStringsAreGoDurationsAndABareNumberStringIsRefused() throws Exception {
        server = FakeOllama.start("moondream");

        HttpResponse<String> bare = post("/api/generate", "{\"model\":\"moondream\",\"keep_alive\":\"1.5\"}");
        assertThat(bare.statusCode()).isEqualTo(400);
        assertThat(bare.body()).contains("time: missing unit in duration \\\"1.5\\\"");
        assertThat(post("/api/generate", "{\"model\":\"moondream\",\"keep_alive\":1.5}").statusCode()).isEqualTo(200);
        assertThat(post("/api/generate", "{\"model\":\"moondream\",\"keep_alive\":\"1h2m3.5s\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void namesAreCaseInsensitiveListedWithTheirTagAndOnlyEmbedSaysToPull() throws Exception {
        server = FakeOllama.start("moondream");

        assertThat(post("/api/generate", "{\"model\":\"MoonDream\"}").statusCode()).isEqualTo(200);
        assertThat(server.loadedNames()).containsExactly("moondream:latest");
        assertThat(post("/api/generate", "{\"model\":\"llava\",\"prompt\":\"x\"}").body())
                .isEqualTo("{\"error\":\"model 'llava' not found\"}");
        assertThat(post("/api/chat", "{\"model\":\"llava\",\"messages\":[]}").body())
                .isEqualTo("{\"error\":\"model 'llava' not found\"}");
        assertThat(post("/api/embed", "{\"model\":\"llava\",\"input\":[\"a\"]}").body())
                .contains("model \\\"llava\\\" not found, try pulling it first");
    }

    @Test
    void anIdleModelIsEvictedBeforeABusyOneWhicheverWasUsedLast() throws Exception {
        server = FakeOllama.start("a", "b", "c");
        server.computeTime = Duration.ofMillis(1500);
        post("/api/generate", "{\"model\":\"b\"}");
        post("/api/generate", "{\"model\":\"a\"}");
        CompletableFuture<HttpResponse<String>> busy = postAsync("/api/generate", "{\"model\":\"a\",\"prompt\":\"x\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requests().size() == 3);

        post("/api/generate", "{\"model\":\"c\"}"); // a is first by name but busy: b goes

        assertThat(server.loadedNames()).containsExactlyInAnyOrder("a:latest", "c:latest");
        assertThat(busy.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestWaitingForALoadHoldsUpTheOnesBehindIt() throws Exception {
        server = FakeOllama.start("a", "b", "c");
        server.capacity = 1;
        server.loadTime = Duration.ofMillis(300);
        server.computeTime = Duration.ofMillis(600);
        post("/api/generate", "{\"model\":\"a\"}");
        List<String> finished = new CopyOnWriteArrayList<>();
        CompletableFuture<?> running = postAsync("/api/generate", "{\"model\":\"a\",\"prompt\":\"x\"}")
                .thenRun(() -> finished.add("a"));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requests().size() == 2);
        CompletableFuture<?> b = postAsync("/api/generate", "{\"model\":\"b\"}").thenRun(() -> finished.add("b"));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requests().size() == 3);
        CompletableFuture<?> c = postAsync("/api/generate", "{\"model\":\"c\"}").thenRun(() -> finished.add("c"));

        CompletableFuture.allOf(running, b, c).get(20, TimeUnit.SECONDS);

        // b waits for a's request to end before a is unloaded; c waits behind b, in arrival order
        assertThat(finished).containsExactly("a", "b", "c");
        assertThat(server.loads()).isEqualTo(3);
        assertThat(server.evictions()).isEqualTo(2);
    }

    @Test
    void anUnloadIsAnsweredAtOnceAndABusyModelGoesOnceItsRequestEnds() throws Exception {
        server = FakeOllama.start("a");
        server.computeTime = Duration.ofMillis(1500);
        post("/api/generate", "{\"model\":\"a\"}");
        CompletableFuture<HttpResponse<String>> busy = postAsync("/api/generate", "{\"model\":\"a\",\"prompt\":\"x\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requests().size() == 2);

        HttpResponse<String> unload = post("/api/generate", "{\"model\":\"a\",\"keep_alive\":0}");

        assertThat(unload.body()).contains("\"done_reason\":\"unload\"");
        assertThat(busy).isNotDone();
        assertThat(server.loadedNames()).containsExactly("a:latest");
        assertThat(busy.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.loadedNames().isEmpty());
    }

    @Test
    void oneRefusedInputFailsTheWholeEmbedRequest() throws Exception {
        server = FakeOllama.start("nomic-embed-text");
        server.refuseInput("bad");

        HttpResponse<String> answer = post("/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":[\"ok\",\"bad\"]}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain("embeddings");
    }

    @Test
    void theHeadersComeWithTheFirstTokenAfterTheLoad() throws Exception {
        server = FakeOllama.start("a");
        server.loadTime = Duration.ofMillis(400);
        long start = System.nanoTime();
        HttpResponse<java.io.InputStream> answer = http.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/generate")).POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"a\",\"prompt\":\"x\"}"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        answer.body().close();
    }

    @Test
    void aModelServesNumParallelRequestsAtOnceAndTheOthersWait() throws Exception {
        server = FakeOllama.start("a");
        server.computeTime = Duration.ofMillis(400);
        post("/api/generate", "{\"model\":\"a\"}");

        long start = System.nanoTime();
        CompletableFuture.allOf(postAsync("/api/generate", "{\"model\":\"a\",\"prompt\":\"x\"}"),
                postAsync("/api/generate", "{\"model\":\"a\",\"prompt\":\"y\"}")).get(10, TimeUnit.SECONDS);
        Duration oneAtATime = Duration.ofNanos(System.nanoTime() - start);
        server.numParallel = 2;
        server.unloadTime = Duration.ZERO;
        post("/api/generate", "{\"model\":\"a\",\"keep_alive\":0}");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.loadedNames().isEmpty());
        post("/api/generate", "{\"model\":\"a\"}"); // a runner's parallelism is set when it loads
        start = System.nanoTime();
        CompletableFuture.allOf(postAsync("/api/generate", "{\"model\":\"a\",\"prompt\":\"x\"}"),
                postAsync("/api/generate", "{\"model\":\"a\",\"prompt\":\"y\"}")).get(10, TimeUnit.SECONDS);
        Duration together = Duration.ofNanos(System.nanoTime() - start);

        assertThat(oneAtATime).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        assertThat(together).isLessThan(Duration.ofMillis(800));
    }
}

package ai.batch.queue.ollama;

import static ai.batch.queue.ollama.Items.config;
import static ai.batch.queue.ollama.Items.handler;
import static ai.batch.queue.ollama.Items.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.ollama.FakeOllama.Trouble;

class ErrorMappingTest {

    private static final String MODEL = "llava:13b";
    private static final String GENERATE = "/api/generate";

    private final RecordingLogger log = new RecordingLogger();
    private FakeOllama server;
    private OllamaHandler handler;

    @BeforeEach
    void start() throws Exception {
        server = FakeOllama.start(MODEL);
        handler = handlerFor(server.url(), Map.of());
    }

    @AfterEach
    void stop() {
        handler.deactivate();
        server.close();
    }

    private OllamaHandler handlerFor(String url, Map<String, Object> extra) {
        Map<String, Object> props = config(url, MODEL);
        props.putAll(extra);
        return handler(props, log);
    }

    private ItemResult generate() {
        return handler.process("prompt", item(MODEL, "generate", "i1"));
    }

    @Test
    void anUnknownModelFailsForGoodAndSaysToPullIt() {
        ItemResult result = handler.process("prompt", item("llama3:70b", "generate", "i1"));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.isRetryable()).isFalse();
        assertThat(result.error()).contains("run `ollama pull llama3:70b`", "not found", server.url(), "job job-1");
    }

    @Test
    void loadingAnUnknownModelThrowsSayingToPullIt() {
        assertThatThrownBy(() -> handler.load("llama3:70b")).isInstanceOf(OllamaException.class)
                .hasMessageContaining("ollama pull llama3:70b").hasMessageContaining(server.url());
    }

    @Test
    void aRejectedRequestFailsForGoodWithTheServersError() {
        server.next(GENERATE, Trouble.BAD_REQUEST_400);

        ItemResult result = generate();

        assertThat(result.isRetryable()).isFalse();
        assertThat(result.error()).contains("400", "invalid options: num_ctx must be a number", MODEL);
    }

    @Test
    void aBusyServerIsAFailureThatMayPass() {
        server.next(GENERATE, Trouble.BUSY_503);

        ItemResult result = generate();

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.error()).contains("503", "server busy", server.url(), MODEL, "job job-1");
        assertThat(generate().isSuccess()).isTrue();
    }

    @Test
    void aRequestTimeoutMayPass() {
        server.next(GENERATE, Trouble.TIMEOUT_408);

        ItemResult result = generate();

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.error()).contains("request timeout, HTTP 408", "Model '" + MODEL + "'", "job job-1");
    }

    @Test
    void retryAfterInAnObsoleteDateFormIsHandedToTheQueue() {
        // RFC 850, which RFC 9110 still asks a recipient to read: two minutes ahead, in whole seconds
        server.retryAfter = java.time.format.DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'",
                java.util.Locale.US).format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(120));
        server.next(GENERATE, Trouble.PROXY_503);

        ItemResult result = generate();

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.retryAfter()).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(120));
        assertThat(result.error()).contains("server busy or unavailable, HTTP 503", "retry after ");
    }

    @Test
    void tooManyRequestsMayPassAndTellsWhenToRetry() {
        server.next(GENERATE, Trouble.TOO_MANY_429);

        ItemResult result = generate();

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.error()).contains("too many requests, HTTP 429", "retry after 7 s");
        assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void anErrorLineInTheMiddleOfTheStreamFailsTheItem() {
        server.next(GENERATE, Trouble.MID_STREAM_ERROR);

        ItemResult result = generate();

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.isRetryable()).isFalse();
        assertThat(result.error()).contains("mid-answer", "CUDA error: out of memory", MODEL);
    }

    @Test
    void malformedJsonFailsNamingTheServer() {
        server.next(GENERATE, Trouble.MALFORMED);

        ItemResult result = generate();

        assertThat(result.isRetryable()).isFalse();
        assertThat(result.error()).contains("malformed JSON", server.url());
    }

    @Test
    void anAnswerPastTheCapFailsInsteadOfFillingTheMemory() {
        handler.deactivate();
        handler = handlerFor(server.url(), Map.of("maxResponseBytes", "4096"));
        server.next(GENERATE, Trouble.HUGE);

        ItemResult result = generate();

        assertThat(result.isRetryable()).isFalse();
        assertThat(result.error()).contains("larger than maxResponseBytes (4096 bytes)");
    }

    @Test
    void aStreamThatStallsEndsAtTheDeadlineNotAtTheHeaders() {
        handler.deactivate();
        handler = handlerFor(server.url(), Map.of("requestTimeoutMs", "700"));
        server.next(GENERATE, Trouble.STALL);

        long start = System.nanoTime();
        ItemResult result = generate();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.error()).contains("within requestTimeoutMs (700 ms)", MODEL);
        assertThat(took).isBetween(Duration.ofMillis(600), Duration.ofSeconds(5));
    }

    @Test
    void cancellingAStalledItemReturnsPromptly() throws Exception {
        server.next(GENERATE, Trouble.STALL);
        Items.Context context = item(MODEL, "generate", "i1");

        CompletableFuture<ItemResult> result = CompletableFuture.supplyAsync(() -> handler.process("x", context));
        await(() -> server.requests().size() == 1);
        context.cancelled().set(true);

        assertThat(result.get(5, TimeUnit.SECONDS).error()).isEqualTo("cancelled");
        assertThat(log.at("warn")).as("a cancellation is no failure of the server").noneMatch(l -> l.contains("i1"));
    }

    @Test
    void deactivatingEndsACallThatIsStillReading() throws Exception {
        server.next(GENERATE, Trouble.STALL);

        CompletableFuture<ItemResult> result = CompletableFuture.supplyAsync(this::generate);
        await(() -> server.requests().size() == 1);
        handler.deactivate();

        assertThat(result.get(5, TimeUnit.SECONDS).isSuccess()).isFalse();
    }

    @Test
    void aStreamCutShortMayPass() {
        server.next(GENERATE, Trouble.CUT_SHORT);

        ItemResult result = generate();

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.error()).contains("ended before it was done");
    }

    @Test
    void aServerThatIsNotRunningIsAFailureThatMayPassAndSaysSo() {
        int port = server.port();
        server.close();

        ItemResult result = generate();

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.error()).contains("not running", "127.0.0.1:" + port, MODEL, "job job-1");
        assertThatThrownBy(() -> handler.loadedModels()).isInstanceOf(OllamaException.class)
                .hasMessageContaining("not running");
    }

    @Test
    void aServerThatGoesAwayAndComesBackServesAgain() throws Exception {
        handler.deactivate();
        handler = handlerFor(server.url(), Map.of("requestTimeoutMs", "2000"));
        assertThat(generate().isSuccess()).isTrue();
        int port = server.port();
        server.close();

        for (int i = 0; i < 3; i++) {
            ItemResult down = assertTimeoutPreemptively(Duration.ofSeconds(4), this::generate);
            assertThat(down.isRetryable()).as(down.toString()).isTrue();
        }
        try {
            server = FakeOllama.startOn(port, MODEL);
        } catch (BindException e) {
            server = FakeOllama.start(MODEL); // the port was taken meanwhile: a new configuration
            handler.deactivate();
            handler = handlerFor(server.url(), Map.of());
        }

        assertThat(generate().output()).isEqualTo("You said: prompt");
    }

    @Test
    void aBusyServerPutsBackEveryItemOfAnEmbedBatch() throws Exception {
        server.next("/api/embed", Trouble.BUSY_503);

        List<ItemResult> results = handler.processBatch(List.of("a", "b"),
                List.of(item(MODEL, "embed", "a"), item(MODEL, "embed", "b")));

        assertThat(results).allSatisfy(r -> assertThat(r.isRetryable()).isTrue());
    }

    @Test
    void failuresAreLoggedWithJobAndItemButWithoutThePrompt() {
        server.next(GENERATE, Trouble.BUSY_503);

        generate();

        assertThat(log.at("warn")).anySatisfy(line -> assertThat(line).contains("i1", "job-1", "503"))
                .noneMatch(line -> line.contains("prompt\""));
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(condition);
    }
}

package ai.batch.queue.openai;

import static ai.batch.queue.openai.TestSupport.context;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.batch.queue.handler.ItemResult;

class ErrorMappingTest {

    private final TestSupport.RecordingLogger log = new TestSupport.RecordingLogger();
    private FakeOpenAiServer server;
    private OpenAiHandler handler;

    @BeforeEach
    void start() throws Exception {
        server = FakeOpenAiServer.plain("llava:13b");
        handler = handler(server.baseUrl(), 1_000);
    }

    @AfterEach
    void stop() {
        handler.deactivate();
        server.close();
    }

    private OpenAiHandler handler(String baseUrl, long timeoutMs) {
        return new OpenAiHandler(TestSupport.settings(baseUrl, "request.timeout.ms", timeoutMs,
                "response.maxBytes", 65_536L), log.logger(), (lifecycle, properties) -> () -> { });
    }

    @ParameterizedTest(name = "{0} -> retryable={1}")
    @CsvSource(delimiter = '|', value = {
        // model (the fake's behaviour) | retryable | what the error must say
        "error-openai    | false | request rejected, HTTP 400: max_tokens is too large, type invalid_request_error",
        "error-llama     | false | request rejected, HTTP 404: model 'error-llama' not found, type not_found_error, code 404",
        "error-plain     | false | request rejected, HTTP 403: forbidden for this project; no API key is configured",
        "error-detail    | false | request rejected, HTTP 404: The model `error-detail` does not exist.",
        "busy            | true  | too many requests, HTTP 429: Rate limit reached, type requests, code rate_limit_exceeded; retry after 7 s",
        "overloaded      | true  | server busy or unavailable, HTTP 503: Loading model, type unavailable_error, code 503; retry after 1",
        "gateway         | true  | server busy or unavailable, HTTP 502: <html>Bad Gateway</html>",
        "gateway-timeout | true  | server busy or unavailable, HTTP 504",
        "broken          | false | server error, HTTP 500: context overflow",
        "malformed       | false | malformed JSON in the response",
        "huge            | false | larger than 65536 bytes (response.maxBytes)",
        "huge-chunked    | false | larger than 65536 bytes (response.maxBytes)",
    })
    void serverAnswersMapToItemErrorsNamingServerModelAndJob(String model, boolean retryable, String says)
            throws Exception {
        ItemResult result = handler.process("hi", context(model, "chat", "item-9"));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.isRetryable()).isEqualTo(retryable);
        assertThat(result.error()).contains(says, "server " + server.baseUrl(), "Model '" + model + "'", "job-1",
                "item-9", "POST /chat/completions");
    }

    @Test
    void retryAfterInSecondsIsHandedToTheQueue() throws Exception {
        ItemResult result = handler.process("hi", context("retry-after-2", "chat", "item-1"));

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(result.error()).contains("HTTP 429", "retry after 2 s");
    }

    @Test
    void retryAfterAsAnHttpDateIsHandedToTheQueueAsTheTimeLeft() throws Exception {
        // The fake's date is two minutes ahead, in whole seconds: the time left is a little under 120 s.
        ItemResult result = handler.process("hi", context("overloaded", "chat", "item-1"));

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.retryAfter()).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(120));
    }

    @Test
    void aRetryableAnswerWithoutRetryAfterLeavesTheWaitToTheQueue() throws Exception {
        ItemResult result = handler.process("hi", context("gateway", "chat", "item-1"));

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.retryAfter()).isNull();
    }

    @Test
    void aBodyThatStallsPastTheTimeoutIsRetryableAndReturnsNearTheDeadline() throws Exception {
        Instant start = Instant.now();
        ItemResult result = handler.process("hi", context("slow", "chat", "item-1"));

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(3_000));
        assertThat(result.isRetryable()).isTrue();
        assertThat(result.error()).contains("within 1000 ms (request.timeout.ms)");
    }

    @Test
    void aServerThatNeverAnswersIsRetryableAndReturnsNearTheDeadline() throws Exception {
        Instant start = Instant.now();
        ItemResult result = handler.process("hi", context("stalled", "chat", "item-1"));

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(3_000));
        assertThat(result.isRetryable()).isTrue();
        assertThat(result.error()).contains("1000 ms");
    }

    @Test
    void connectionRefusedIsRetryable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OpenAiHandler nowhere = handler("http://127.0.0.1:" + port + "/v1", 1_000);
        try {
            ItemResult result = nowhere.process("hi", context("llava:13b", "chat", "item-1"));

            assertThat(result.isRetryable()).isTrue();
            assertThat(result.error()).contains("connection refused", "http://127.0.0.1:" + port + "/v1");
        } finally {
            nowhere.deactivate();
        }
    }

    @Test
    void aServerThatGoesAwayAndComesBackNeverHoldsACallPastTheDeadline() throws Exception {
        int port = server.port();
        assertThat(handler.process("one", context("llava:13b", "chat", "a")).isSuccess()).isTrue();

        server.close();
        Instant start = Instant.now();
        ItemResult whileAway = handler.process("two", context("llava:13b", "chat", "b"));
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(3_000));
        assertThat(whileAway.isRetryable()).isTrue();

        server = FakeOpenAiServer.plainOn(port, "llava:13b");
        assertThat(handler.process("three", context("llava:13b", "chat", "c")))
                .isEqualTo(ItemResult.successWithOutput("echo: three"));
    }

    @Test
    void anInterruptAbandonsTheRequestAtOnce() throws Exception {
        Thread.currentThread().interrupt();
        Instant start = Instant.now();
        try {
            handler.process("hi", context("stalled", "chat", "item-1"));
        } catch (InterruptedException expected) {
            // the queue interrupts a cancelled item's thread
        }
        assertThat(Thread.interrupted()).isFalse();
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(900));
    }
}

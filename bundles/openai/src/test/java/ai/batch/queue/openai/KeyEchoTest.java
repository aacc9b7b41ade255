package ai.batch.queue.openai;

import static ai.batch.queue.openai.TestSupport.KEY;
import static ai.batch.queue.openai.TestSupport.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.runtime.kit.SecretMask;

/**
 * A server that echoes the API key it was sent, in every place a server's text reaches: error bodies (also
 * exactly across the point where long error text is cut), the model list that is logged, a router's load status,
 * and the answers that become item outputs. None of it may show the key, nor any piece of it.
 */
class KeyEchoTest {

    private final TestSupport.RecordingLogger log = new TestSupport.RecordingLogger();
    private final List<OpenAiHandler> handlers = new ArrayList<>();
    private FakeOpenAiServer server;

    @AfterEach
    void stop() {
        handlers.forEach(OpenAiHandler::deactivate);
        if (server != null) {
            server.close();
        }
    }

    private OpenAiHandler handler(Object... pairs) {
        List<Object> all = new ArrayList<>(List.of(".apiKey", KEY));
        all.addAll(List.of(pairs));
        OpenAiHandler handler = new OpenAiHandler(TestSupport.settings(server.baseUrl(), all.toArray()),
                log.logger(), (lifecycle, properties) -> () -> { });
        handlers.add(handler);
        return handler;
    }

    /** No run of 5 or more characters of the key: a cut key must not show its start either. */
    private static void assertNoPieceOfKey(String text) {
        for (int start = 0; start + 5 <= KEY.length(); start++) {
            assertThat(text).as("a piece of the key").doesNotContain(KEY.substring(start, start + 5));
        }
    }

    @ParameterizedTest(name = "key at {0}")
    @ValueSource(ints = {0, 480, 485, 490, 495, 499, 500, 520})
    void anErrorEchoingTheKeyNeverShowsAPieceOfIt(int at) throws Exception {
        server = FakeOpenAiServer.plain("m");

        ItemResult result = handler().process("hi", context("echo-key-at-" + at, "chat", "item-1"));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.error()).contains("HTTP 400");
        assertNoPieceOfKey(result.error());
    }

    @Test
    void anOutputEchoingTheKeyIsStoredMasked() throws Exception {
        server = FakeOpenAiServer.plain("m");

        ItemResult result = handler().process("hi", context("echo-key-output", "chat", "item-1"));

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.output()).isEqualTo("You sent Bearer ***");
    }

    @Test
    void theLoggedModelListIsMasked() throws Exception {
        server = FakeOpenAiServer.plain("llava:13b").echoKeyInModelList();

        handler();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> log.lines().stream().anyMatch(line -> line.contains("lists the models")));
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("proxy of Bearer ***"));
        log.lines().forEach(KeyEchoTest::assertNoPieceOfKey);
    }

    @Test
    void resultsReadFromABatchFileAreMasked() throws Exception {
        OpenAiBatchFiles files = new OpenAiBatchFiles(Requests.defaults(), new SecretMask(KEY));
        ai.batch.queue.BatchJob<String> job = ai.batch.queue.BatchJob.of("gpt-4o-mini", "chat",
                ai.batch.queue.OverwritePolicy.OVERWRITE, List.of(
                        ai.batch.queue.BatchItem.of("a", "x", ai.batch.queue.SizeBucket.UNKNOWN),
                        ai.batch.queue.BatchItem.of("b", "y", ai.batch.queue.SizeBucket.UNKNOWN))).withId("job-1");
        String file = "{\"id\":\"batch_req_1\",\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":"
                + "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"key " + KEY + "\"}}]}},"
                + "\"error\":null}\n"
                + "{\"id\":\"batch_req_2\",\"custom_id\":\"b\",\"response\":{\"status_code\":401,\"body\":"
                + "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}},\"error\":null}\n";

        OpenAiBatchFiles.ImportReport report = files.read(job, new java.io.StringReader(file));

        assertThat(report.results().get("a").output()).isEqualTo("key ***");
        assertThat(report.results().get("b").error()).contains("Incorrect API key provided: ***");
        assertNoPieceOfKey(report.results().get("b").error());
    }

    @Test
    void aRouterLoadFailureShowsItsStatusMasked() throws Exception {
        server = FakeOpenAiServer.router(2, "qwen", "echo-fail");
        OpenAiSettings settings = TestSupport.settings(server.baseUrl(), ".apiKey", KEY, "lifecycle.timeout.ms",
                5_000L);
        RouterLifecycle lifecycle = new RouterLifecycle(new OpenAiClient(settings), settings);

        Throwable failure = catchThrowable(() -> lifecycle.load("echo-fail"));

        assertThat(failure).hasMessageContaining("the load failed").hasMessageContaining("--api-key");
        assertNoPieceOfKey(failure.getMessage());
    }
}

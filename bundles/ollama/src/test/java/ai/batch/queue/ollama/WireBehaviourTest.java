package ai.batch.queue.ollama;

import static ai.batch.queue.ollama.Items.config;
import static ai.batch.queue.ollama.Items.handler;
import static ai.batch.queue.ollama.Items.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.ollama.FakeOllama.Trouble;

/** How the handler uses the wire: connections, Retry-After, keep_alive, a missing /api/ps, embed batches. */
class WireBehaviourTest {

    private static final String MODEL = "llava:13b";
    private static final String EMBED = "nomic-embed-text";

    private final RecordingLogger log = new RecordingLogger();
    private FakeOllama server;
    private OllamaHandler handler;

    @BeforeEach
    void start() throws Exception {
        server = FakeOllama.start(MODEL, EMBED);
        handler = handler(config(server.url(), MODEL, EMBED), log);
    }

    @AfterEach
    void stop() {
        handler.deactivate();
        server.close();
    }

    @Test
    void sequentialItemsReuseOneConnection() throws Exception {
        for (int i = 0; i < 8; i++) {
            assertThat(handler.process("p" + i, item(MODEL, "generate", "g" + i)).isSuccess()).isTrue();
            assertThat(handler.process("p" + i, item(MODEL, "chat", "c" + i)).isSuccess()).isTrue();
            assertThat(handler.process("p" + i, item(EMBED, "embed", "e" + i)).isSuccess()).isTrue();
        }
        handler.loadedModels();

        assertThat(server.connections()).as("connections for 25 sequential requests").isLessThanOrEqualTo(2);
    }

    @Test
    void retryAfterInSecondsIsPassedOnWithTheRetryableFailure() {
        server.retryAfter = "2";
        server.next("/api/generate", Trouble.PROXY_503);

        ItemResult result = handler.process("x", item(MODEL, "generate", "i1"));

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(result.error()).contains("503", "retry after 2 s");
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeUntilThen() throws Exception {
        server.retryAfter = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)
                .plusSeconds(30));
        server.next("/api/embed", Trouble.TOO_MANY_429);

        List<ItemResult> results = handler.processBatch(List.of("a", "b"),
                List.of(item(EMBED, "embed", "a"), item(EMBED, "embed", "b")));

        assertThat(results).allSatisfy(r -> assertThat(r.retryAfter())
                .isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31)));
    }

    @Test
    void aBusyServerWithoutRetryAfterLeavesTheWaitToTheQueue() {
        server.next("/api/generate", Trouble.BUSY_503);

        ItemResult result = handler.process("x", item(MODEL, "generate", "i1"));

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.retryAfter()).isNull();
    }

    @Test
    void aKeepAliveOfPlainSecondsIsSentAsANumberAndAccepted() {
        Map<String, Object> props = config(server.url(), MODEL);
        props.put("keepAlive", "1.5");
        OllamaHandler seconds = handler(props, log);
        try {
            ItemResult result = seconds.process("x", item(MODEL, "generate", "i1"));

            assertThat(result.isSuccess()).as(result.error()).isTrue();
            assertThat(server.requests().get(0).body().get("keep_alive").isNumber()).isTrue();
        } finally {
            seconds.deactivate();
        }
    }

    @Test
    void aServerWithoutApiPsIsNotMistakenForAMissingModel() {
        server.offersPs = false;

        assertThatThrownBy(() -> handler.loadedModels()).isInstanceOf(OllamaException.class)
                .hasMessageContaining("does not offer /api/ps").hasMessageContaining("404")
                .hasMessageNotContaining("null").hasMessageNotContaining("ollama pull");
    }

    @Test
    void oneRefusedInputOfAnEmbedBatchFailsAloneAndItsNeighboursSucceed() throws Exception {
        server.refuseInput("bad");
        List<Object> data = List.of("a", "bb", "bad", "dddd", "e", "ff", "ggg", "h");
        List<ItemContext> contexts = data.stream().map(d -> (ItemContext) item(EMBED, "embed", String.valueOf(d)))
                .toList();

        List<ItemResult> results = handler.processBatch(data, contexts);

        for (int i = 0; i < data.size(); i++) {
            if (data.get(i).equals("bad")) {
                assertThat(results.get(i).isSuccess()).isFalse();
                assertThat(results.get(i).isRetryable()).isFalse();
                assertThat(results.get(i).error()).contains("400", "exceeds the context length");
            } else {
                assertThat(results.get(i).output()).as(String.valueOf(data.get(i)))
                        .isEqualTo("[" + ((String) data.get(i)).length() + ",0.5,-0.25]");
            }
        }
        // halves, depth first, only where the refused input is: log2(8) levels below the whole batch
        assertThat(server.embedBatchSizes()).containsExactly(8, 4, 2, 2, 1, 1, 4);
    }
}

package ai.batch.queue.ollama;

import static ai.batch.queue.ollama.Items.config;
import static ai.batch.queue.ollama.Items.handler;
import static ai.batch.queue.ollama.Items.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A configured capacity above what the server holds: the lifecycle notices its own loads evicting models. */
class CapacityDetectionTest {

    private static final String LLAVA = "llava:13b";
    private static final String MOONDREAM = "moondream";
    private static final String QWEN = "qwen2.5-vl:7b";

    private final RecordingLogger log = new RecordingLogger();
    private FakeOllama server;
    private OllamaHandler handler;

    @BeforeEach
    void start() throws Exception {
        server = FakeOllama.start(LLAVA, MOONDREAM, QWEN);
        server.capacity = 1; // OLLAMA_MAX_LOADED_MODELS=1, or memory for one model
        Map<String, Object> props = config(server.url(), LLAVA, MOONDREAM, QWEN);
        props.put("capacity", 2);
        handler = handler(props, log);
    }

    @AfterEach
    void stop() {
        handler.deactivate();
        server.close();
    }

    @Test
    void aLoadThatEvictsAModelLowersTheCapacityAndSaysSoOnce() throws Exception {
        assertThat(handler.process("x", item(LLAVA, "generate", "1")).isSuccess()).isTrue();
        assertThat(handler.capacity()).isEqualTo(2);

        handler.load(MOONDREAM); // the server drops llava for it

        assertThat(handler.capacity()).isEqualTo(1);
        assertThat(log.at("warn")).singleElement().asString().contains("capacity", "2", "1", LLAVA, MOONDREAM);
        handler.process("y", item(MOONDREAM, "generate", "2"));
        assertThat(log.at("warn")).hasSize(1);
    }

    @Test
    void noLoadGoesToAServerThatJustEvictedForOneWhileItIsFull() throws Exception {
        handler.process("x", item(LLAVA, "generate", "1"));
        handler.load(MOONDREAM);
        int loads = server.loads();

        assertThatThrownBy(() -> handler.load(QWEN)).isInstanceOf(OllamaException.class)
                .hasMessageContaining("holds 1 model");
        assertThat(server.loads()).isEqualTo(loads);
    }

    @Test
    void unloadingAModelOurselvesIsNotAnEviction() throws Exception {
        server.capacity = 2;
        handler.load(LLAVA);
        handler.unload(LLAVA);
        handler.load(MOONDREAM);

        assertThat(handler.capacity()).isEqualTo(2);
        assertThat(log.at("warn")).isEmpty();
    }
}

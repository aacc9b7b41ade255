package ai.batch.queue.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.LoadedModel;

/** Real inference with the model inside the bundle's resources; nothing is mocked. */
class EmbeddingHandlerTest {

    @TempDir
    static Path nativeCache;

    private static EmbeddingHandler handler;

    @BeforeAll
    static void createHandler() {
        handler = new EmbeddingHandler(nativeCache);
    }

    @AfterAll
    static void closeHandler() {
        handler.deactivate();
    }

    @Test
    void similarSentencesScoreHigherThanUnrelatedOnes() throws Exception {
        float[] cat = embed("A cat sits on the mat");
        float[] kitten = embed("A kitten is sitting on a rug");
        float[] stocks = embed("Stock markets fell sharply today");

        double similar = dot(cat, kitten);
        assertThat(similar).isGreaterThan(dot(cat, stocks) + 0.3).isGreaterThan(dot(kitten, stocks) + 0.3);
        assertThat(similar).isGreaterThan(0.5);
    }

    @Test
    void vectorsHave384DimensionsAndUnitLength() throws Exception {
        float[] vector = embed("Embeddings turn sentences into points in space.");

        assertThat(vector).hasSize(384);
        assertThat(Math.sqrt(dot(vector, vector))).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void aBatchGivesTheSameVectorsAsSingleCalls() throws Exception {
        List<String> texts = List.of("Short.", "A somewhat longer sentence, so the batch needs padding.",
                "Der Hund schläft im Garten.", "El tren llega a las ocho de la mañana.",
                "One more sentence of middling length here.");
        List<ItemContext> contexts = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            contexts.add(TestContext.of("s" + i));
        }

        List<ItemResult> batch = handler.processBatch(texts, contexts);

        assertThat(batch).hasSize(texts.size()).allMatch(ItemResult::isSuccess);
        for (int i = 0; i < texts.size(); i++) {
            float[] single = embed(texts.get(i));
            float[] batched = parse(batch.get(i).output());
            for (int d = 0; d < single.length; d++) {
                assertThat(batched[d]).as("%s, dimension %d", texts.get(i), d).isCloseTo(single[d], within(1e-4f));
            }
        }
    }

    @Test
    void anItemWithoutTextFailsAloneNamingIt() throws Exception {
        List<ItemResult> results = handler.processBatch(Arrays.asList("A cat sits on the mat", null, "  ",
                "Stock markets fell sharply today"), List.of(TestContext.of("ok-1"), TestContext.of("no-text"),
                        TestContext.of("blank"), TestContext.of("ok-2")));

        assertThat(results.get(0).isSuccess()).isTrue();
        assertThat(results.get(3).isSuccess()).isTrue();
        assertThat(results.get(1).isSuccess()).isFalse();
        assertThat(results.get(1).error()).contains("'no-text'", "job-1", "null");
        assertThat(results.get(2).isSuccess()).isFalse();
        assertThat(results.get(2).error()).contains("'blank'", "empty");
    }

    @Test
    void aSingleEmptyItemFailsWithAClearError() throws Exception {
        ItemResult result = handler.process("", TestContext.of("empty-1"));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.error()).isEqualTo("Nothing to embed: item 'empty-1' of job job-1 has an empty text");
    }

    @Test
    void anotherOperationFailsNamingTheOneThereIs() throws Exception {
        ItemResult result = handler.process("A cat", TestContext.of("op-1").withOperation("summarize"));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.error()).contains("'summarize'", "'embed'", "'op-1'");
    }

    @Test
    void loadUnloadAndLoadedModelsFollowTheModel() throws Exception {
        EmbeddingHandler lifecycle = new EmbeddingHandler(nativeCache);
        try {
            assertThat(lifecycle.loadedModels()).isEmpty();
            assertThat(lifecycle.capacity()).isEqualTo(1);

            lifecycle.load(EmbeddingHandler.RESOURCE);
            List<LoadedModel> loaded = lifecycle.loadedModels();
            assertThat(loaded).hasSize(1);
            assertThat(loaded.get(0).resourceKey()).isEqualTo("all-minilm-l6-v2");
            assertThat(loaded.get(0).sizeBytes()).isGreaterThan(10_000_000L);
            lifecycle.load(EmbeddingHandler.RESOURCE); // already loaded: nothing happens
            assertThat(lifecycle.loadedModels()).hasSize(1);

            lifecycle.unload(EmbeddingHandler.RESOURCE);
            assertThat(lifecycle.loadedModels()).isEmpty();
            lifecycle.unload(EmbeddingHandler.RESOURCE); // not loaded: nothing happens

            assertThat(lifecycle.process("Loaded lazily", TestContext.of("lazy")).isSuccess()).isTrue();
            assertThat(lifecycle.loadedModels()).hasSize(1);
        } finally {
            lifecycle.deactivate();
        }
        assertThat(lifecycle.loadedModels()).isEmpty();
    }

    @Test
    void anUnknownModelIsRefusedByName() {
        assertThatThrownBy(() -> handler.load("bge-small"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bge-small'");
        assertThatThrownBy(() -> handler.unload("bge-small"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bge-small'");
    }

    @Test
    void theTokenizersNativeLibraryGoesToTheGivenDirectory() throws Exception {
        embed("Where does the native library go?");

        assertThat(System.getProperty("ENGINE_CACHE_DIR")).as("no global setting is left behind").isNull();
        if (System.getenv("ENGINE_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            try (Stream<Path> files = Files.walk(nativeCache)) {
                assertThat(files.filter(path -> path.getFileName().toString().startsWith("libtokenizers")))
                        .isNotEmpty();
            }
        }
    }

    private static float[] embed(String text) throws Exception {
        ItemResult result = handler.process(text, TestContext.of("single"));
        assertThat(result.isSuccess()).as(result.toString()).isTrue();
        return parse(result.output());
    }

    private static float[] parse(String json) throws IOException {
        assertThat(json).startsWith("[").endsWith("]");
        return new ObjectMapper().readValue(json, float[].class);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}

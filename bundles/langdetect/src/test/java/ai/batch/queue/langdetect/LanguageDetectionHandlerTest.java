package ai.batch.queue.langdetect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.LoadedModel;

/** Real detection with the OpenNLP model inside the bundle's resources; nothing is mocked. */
class LanguageDetectionHandlerTest {

    private static final Pattern OUTPUT = Pattern.compile("\\{\"language\":\"([a-z]{3})\",\"confidence\":([0-9.]+)}");

    private static final LanguageDetectionHandler handler = new LanguageDetectionHandler();

    @AfterAll
    static void closeHandler() {
        handler.deactivate();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "eng | The weather was lovely this morning, so we walked along the river to the old bridge.",
        "deu | Das Wetter war heute Morgen herrlich, also sind wir am Fluss entlang zur alten Brücke gegangen.",
        "spa | El tiempo era estupendo esta mañana, así que caminamos junto al río hasta el puente viejo."})
    void detectsTheLanguageOfASentence(String expected, String text) throws Exception {
        ItemResult result = handler.process(text, context("s-1", LanguageDetectionHandler.OPERATION));

        assertThat(result.isSuccess()).as(result.toString()).isTrue();
        Matcher output = OUTPUT.matcher(result.output());
        assertThat(output.matches()).as(result.output()).isTrue();
        assertThat(output.group(1)).isEqualTo(expected);
        assertThat(Double.parseDouble(output.group(2))).isBetween(0.0, 1.0);
    }

    @Test
    void anEmptyTextFailsNamingTheItem() throws Exception {
        ItemResult result = handler.process("   ", context("empty-7", LanguageDetectionHandler.OPERATION));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.error()).isEqualTo("Nothing to detect: item 'empty-7' of job job-1 has an empty text");
    }

    @Test
    void aNullTextFailsNamingTheItem() throws Exception {
        ItemResult result = handler.process(null, context("null-3", LanguageDetectionHandler.OPERATION));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.error()).contains("'null-3'", "null");
    }

    @Test
    void anotherOperationFailsNamingTheOneThereIs() throws Exception {
        ItemResult result = handler.process("Hello there", context("op-1", "translate"));

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.error()).contains("'translate'", "'detect'", "'op-1'");
    }

    @Test
    void loadUnloadAndLoadedModelsFollowTheModel() throws Exception {
        LanguageDetectionHandler lifecycle = new LanguageDetectionHandler();
        assertThat(lifecycle.loadedModels()).isEmpty();
        assertThat(lifecycle.capacity()).isEqualTo(1);

        lifecycle.load(LanguageDetectionHandler.RESOURCE);
        List<LoadedModel> loaded = lifecycle.loadedModels();
        assertThat(loaded).hasSize(1);
        assertThat(loaded.get(0).resourceKey()).isEqualTo("opennlp-langdetect");
        assertThat(loaded.get(0).sizeBytes()).isGreaterThan(1_000_000L);

        lifecycle.unload(LanguageDetectionHandler.RESOURCE);
        assertThat(lifecycle.loadedModels()).isEmpty();

        assertThat(lifecycle.process("Loaded on the first item.", context("lazy", "detect")).isSuccess()).isTrue();
        assertThat(lifecycle.loadedModels()).hasSize(1);
        lifecycle.deactivate();
        assertThat(lifecycle.loadedModels()).isEmpty();
    }

    @Test
    void anUnknownModelIsRefusedByName() {
        assertThatThrownBy(() -> handler.load("fasttext-lid")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'fasttext-lid'");
    }

    private static ItemContext context(String itemId, String operation) {
        return new ItemContext() {
            @Override
            public String jobId() {
                return "job-1";
            }

            @Override
            public String itemId() {
                return itemId;
            }

            @Override
            public String resourceKey() {
                return LanguageDetectionHandler.RESOURCE;
            }

            @Override
            public String operation() {
                return operation;
            }

            @Override
            public SizeBucket sizeBucket() {
                return SizeBucket.UNKNOWN;
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
    }
}

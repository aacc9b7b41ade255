package ai.batch.queue.impl.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;

class ModelCommandsTest {

    private final ShellFixture fixture = new ShellFixture();
    private final ModelCommands commands = new ModelCommands(fixture.queue);

    private static ModelLifecycle holding(LoadedModel... models) {
        return new ModelLifecycle() {
            @Override
            public List<LoadedModel> loadedModels() {
                return List.of(models);
            }

            @Override
            public void load(String resourceKey) {
            }

            @Override
            public void unload(String resourceKey) {
            }
        };
    }

    @Test
    void withoutRuntimesItSaysSoAndListsTheModelsJobsWaitFor() {
        fixture.enqueue("job-a", "moondream", "a", "b");
        fixture.enqueue("job-b", "moondream", "c");
        fixture.enqueue("job-c", "llava:13b", "d");
        commands.addHandler(ShellFixture.reference(Map.of("service.id", 7L, BatchItemHandler.RESOURCE, "moondream")));
        assertThat(commands.models()).isEqualTo(String.join("\n",
                "No runtime reports its loaded models (no ModelLifecycle service).",
                "",
                "Waiting for a model:",
                "MODEL      JOBS  ITEMS  HANDLER",
                "moondream  2     3      yes",
                "llava:13b  1     1      none: jobs wait until one is registered"));
    }

    @Test
    void loadedModelsPerRuntimeWithSinceUntilAndTheirJobs() {
        fixture.enqueue("job-a", "llava:13b", "a");
        fixture.queue.markRunning("job-a");
        fixture.enqueue("job-b", "llava:13b", "b");
        Instant inFourMinutes = Instant.now().plusSeconds(240);
        commands.addLifecycle(holding(LoadedModel.of("llava:13b", 8_482_560_000L, inFourMinutes),
                LoadedModel.of("moondream", 1_700_000_000L, null)), Map.of("component.name", "ai.batch.queue.ollama.OllamaLifecycle"));
        commands.handleEvent(new Event(BatchEvents.TOPIC_MODEL_LOADED, Map.of(BatchEvents.RESOURCE_KEY, "llava:13b")));
        String models = commands.models();
        assertThat(models.lines().toList()).hasSize(3);
        assertThat(models.lines().toList().get(0)).matches("RUNTIME +MODEL +SIZE +SINCE +UNTIL +JOBS");
        assertThat(models.lines().toList().get(1)).matches(
                "OllamaLifecycle +llava:13b +7\\.9 GB +0:00:0[0-9] ago +in 0:0[34]:[0-9]{2} +1 running, 1 queued");
        assertThat(models.lines().toList().get(2)).matches("OllamaLifecycle +moondream +1\\.6 GB +- +- +-");

        commands.handleEvent(new Event(BatchEvents.TOPIC_MODEL_UNLOADED, Map.of(BatchEvents.RESOURCE_KEY, "llava:13b")));
        assertThat(commands.models().lines().toList().get(1)).matches("OllamaLifecycle +llava:13b +7\\.9 GB +- +in .*");
    }

    @Test
    void aRuntimeThatFailsIsNamedAndTheOthersStillShow() {
        ModelLifecycle broken = new ModelLifecycle() {
            @Override
            public List<LoadedModel> loadedModels() throws Exception {
                throw new java.io.IOException("connection refused");
            }

            @Override
            public void load(String resourceKey) {
            }

            @Override
            public void unload(String resourceKey) {
            }
        };
        commands.addLifecycle(broken, Map.of("component.name", "x.Broken"));
        commands.addLifecycle(holding(LoadedModel.of("phi3", -1, null)), Map.of("service.id", 42L));
        String models = commands.models();
        assertThat(models).contains("service 42  phi3").endsWith("Runtime Broken could not say what it holds: connection refused");
        commands.removeLifecycle(broken);
        assertThat(commands.models()).doesNotContain("Broken");
    }
}

package ai.batch.queue.impl.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.impl.config.QueueConfig;
import ai.batch.queue.impl.events.RecordingEventAdmin;
import ai.batch.queue.impl.testing.RecordingLogger;

class BatchQueueComponentTest {

    private final RecordingLogger log = new RecordingLogger();
    private BatchQueueComponent component;

    /** A configuration; memory-only unless the test says otherwise. */
    private static QueueConfig config(Map<String, Object> properties) {
        Map<String, Object> withDefaults = new java.util.HashMap<>(Map.of("persistence.enabled", false));
        withDefaults.putAll(properties);
        return Converters.standardConverter().convert(withDefaults).to(QueueConfig.class);
    }

    private BatchQueueComponent component(Map<String, Object> properties) {
        return new BatchQueueComponent(config(properties), null, log.logger());
    }

    @AfterEach
    void deactivate() {
        if (component != null) {
            component.deactivate();
        }
    }

    @Test
    void queueComesBackFromItsJournalAfterARestart(@TempDir Path directory) {
        Map<String, Object> durable = Map.of("executor.enabled", false, "persistence.enabled", true,
                "persistence.directory", directory.toString());
        component = component(durable);
        String jobId = component.enqueue(BatchJob.of("m", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL), BatchItem.of("b", "y", SizeBucket.LARGE))));
        component.markRunning(jobId);
        component.updateItem(jobId, "a", BatchItemStatus.COMPLETED, null, 40L, "tags");
        component.updateItem(jobId, "b", BatchItemStatus.RUNNING, null, null);
        component.deactivate();

        component = component(durable);
        BatchJob<?> restored = component.getJob(jobId).orElseThrow();
        assertThat(restored.status()).as("it was running: back in the queue").isEqualTo(BatchJobStatus.QUEUED);
        assertThat(restored.items().get(0).output()).isEqualTo("tags");
        assertThat(restored.items().get(1).status()).isEqualTo(BatchItemStatus.PENDING);
        assertThat(component.etaSampleCount("m", "tag", SizeBucket.SMALL)).isEqualTo(1);
        assertThat(log.lines()).anyMatch(line -> line.startsWith("INFO Journal"));
    }

    @Test
    void unwritableJournalDirectoryDegradesToMemoryLoudly(@TempDir Path directory) throws Exception {
        Path file = Files.createFile(directory.resolve("not-a-directory"));
        RecordingEventAdmin eventAdmin = new RecordingEventAdmin();
        component = component(Map.of("executor.enabled", false, "persistence.enabled", true,
                "persistence.directory", file.resolve("journal").toString()));
        component.bindEventAdmin(eventAdmin);

        assertThat(log.lines()).anyMatch(line -> line.startsWith("ERROR Cannot use the journal"));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !eventAdmin.topic(ai.batch.queue.BatchEvents.TOPIC_PERSISTENCE_FAILED).isEmpty());
        String jobId = component.enqueue(BatchJob.of("m", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL))));
        assertThat(component.getJob(jobId)).as("the queue still works, in memory").isPresent();
    }

    @Test
    void aDamagedJournalIsKeptAsideAndNamedInTheEventAndTheLog(@TempDir Path directory) throws Exception {
        Map<String, Object> durable = Map.of("executor.enabled", false, "persistence.enabled", true,
                "persistence.directory", directory.toString());
        component = component(durable);
        String jobId = component.enqueue(BatchJob.of("m", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL))));
        component.deactivate();
        Files.writeString(directory.resolve("journal.log"), "#garbage#\n", java.nio.file.StandardOpenOption.APPEND);
        RecordingEventAdmin eventAdmin = new RecordingEventAdmin();

        component = component(durable);
        component.bindEventAdmin(eventAdmin);

        assertThat(component.getJob(jobId)).isPresent();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !eventAdmin.topic(ai.batch.queue.BatchEvents.TOPIC_JOURNAL_RECOVERED).isEmpty());
        org.osgi.service.event.Event recovered = eventAdmin.topic(ai.batch.queue.BatchEvents.TOPIC_JOURNAL_RECOVERED)
                .get(0);
        Path kept = Path.of((String) recovered.getProperty(ai.batch.queue.BatchEvents.MOVED_TO));
        assertThat(Files.readString(kept)).contains("#garbage#");
        assertThat(recovered.getProperty(ai.batch.queue.BatchEvents.LOST)).isEqualTo(1);
        assertThat(log.lines()).as("the kept file is an argument of this line").anyMatch(line -> line.startsWith(
                "ERROR Journal {} was damaged") && line.contains("delete it when done"));
    }

    @Test
    void defaultsRunTheExecutorWithOneJobAndThirtyMinuteTimeout() {
        QueueConfig defaults = config(Map.of());
        assertThat(defaults.executor_enabled()).isTrue();
        assertThat(defaults.executor_concurrentJobs()).isEqualTo(1);
        assertThat(defaults.item_timeout_ms()).isEqualTo(1_800_000L);
        assertThat(defaults.events_enabled()).isTrue();
    }

    @Test
    void disabledExecutorLeavesTheQueueToManualDriving() {
        component = component(Map.of("executor.enabled", false));
        component.bindHandler((BatchItemHandler<Object>) (data, context) -> ItemResult.success(),
                Map.of(BatchItemHandler.RESOURCE, "m", "service.id", 1L));
        String jobId = component.enqueue(BatchJob.of("m", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL))));
        component.markRunning(jobId);
        component.updateItem(jobId, "a", BatchItemStatus.COMPLETED, null, 10L, "tags");
        assertThat(component.markCompleted(jobId).succeeded()).isEqualTo(1);
        assertThat(component.getJob(jobId).orElseThrow().items().get(0).output()).isEqualTo("tags");
        assertThat(component.getJob(jobId).orElseThrow().status()).isEqualTo(BatchJobStatus.COMPLETED);
    }

    @Test
    void invalidConfigurationOnActivationNamesTheKey() {
        assertThatThrownBy(() -> component(Map.of("item.timeout.ms", -5L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item.timeout.ms");
    }

    @Test
    void invalidRetentionAndRetrySettingsNameTheirKeys() {
        assertThatThrownBy(() -> component(Map.of("retention.maxFinishedJobs", -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention.maxFinishedJobs");
        assertThatThrownBy(() -> component(Map.of("retention.maxAgeMs", 0L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention.maxAgeMs");
        assertThatThrownBy(() -> component(Map.of("retry.maxAttempts", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry.maxAttempts");
        assertThatThrownBy(() -> component(Map.of("planner.maxWaitMs", 0L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("planner.maxWaitMs");
        assertThatThrownBy(() -> component(Map.of("events.maxBacklog", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events.maxBacklog");
        assertThatThrownBy(() -> component(Map.of("events.progress.maxRate", -2.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events.progress.maxRate");
    }

    @Test
    void handlerWithAnInvalidConcurrencyIsLoggedByServiceAndCalledOneItemAtATime() {
        component = component(Map.of("executor.enabled", false));
        component.bindHandler((data, context) -> ai.batch.queue.handler.ItemResult.success(), Map.of(
                "ai.batch.resource", "m", "service.id", 42L, "ai.batch.concurrency", "lots"));
        assertThat(log.lines()).anyMatch(line -> line.startsWith("ERROR Handler service")
                && line.contains("has an invalid {} property"));
    }

    @Test
    void handlerWithAnInvalidBatchSizeIsLoggedByServiceAndCalledWithOneItemPerCall() {
        component = component(Map.of("executor.enabled", false));
        component.bindHandler((data, context) -> ai.batch.queue.handler.ItemResult.success(), Map.of(
                "ai.batch.resource", "m", "service.id", 43L, "ai.batch.batchSize", 0));
        assertThat(log.lines()).anyMatch(line -> line.startsWith("ERROR Handler service")
                && line.contains("has an invalid {} property") && line.contains("one item per call"));
    }

    @Test
    void invalidModificationIsLoggedAndChangesNothing() {
        RecordingEventAdmin eventAdmin = new RecordingEventAdmin();
        component = component(Map.of("executor.enabled", false));
        component.bindEventAdmin(eventAdmin);
        String jobId = component.enqueue(BatchJob.of("m", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL))));

        component.modified(config(Map.of("executor.concurrentJobs", 0)));

        assertThat(log.lines()).anyMatch(line -> line.startsWith("ERROR Configuration"));
        assertThat(eventAdmin.topic(ai.batch.queue.BatchEvents.TOPIC_CONFIGURED)).isEmpty();
        assertThat(component.getJob(jobId).orElseThrow().status()).isEqualTo(BatchJobStatus.QUEUED);
    }

    @Test
    void eventsCanBeSwitchedOffAndOnWithoutLosingJobs() {
        RecordingEventAdmin eventAdmin = new RecordingEventAdmin();
        component = component(Map.of("executor.enabled", false, "events.enabled", false));
        component.bindEventAdmin(eventAdmin);
        String first = component.enqueue(BatchJob.of("m", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL))));
        assertThat(eventAdmin.posted).isEmpty();

        component.modified(config(Map.of("executor.enabled", false, "events.enabled", true)));
        String second = component.enqueue(BatchJob.of("m", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL))));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> eventAdmin
                .topic(ai.batch.queue.BatchEvents.TOPIC_JOB_QUEUED).size() == 1);
        assertThat(eventAdmin.topic(ai.batch.queue.BatchEvents.TOPIC_JOB_QUEUED).get(0)
                .getProperty(ai.batch.queue.BatchEvents.JOB_ID)).isEqualTo(second);
        assertThat(component.queuedCount()).isEqualTo(2);
        assertThat(component.getJob(first)).isPresent();

        component.unbindEventAdmin(eventAdmin);
        component.cancelJob(first);
        component.deactivate(); // lets every post already made go out
        component = null;
        assertThat(eventAdmin.topic(ai.batch.queue.BatchEvents.TOPIC_JOB_CANCELLED)).isEmpty();
    }
}

package ai.batch.queue.impl.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

class DurableStoreTest {

    @TempDir
    Path directory;

    private final List<DurableStore> open = new ArrayList<>();
    private final List<Exception> writeFailures = new ArrayList<>();

    /** A photo as a plugin's own class: not a JDK type. */
    public record Photo(String path, int width) {
    }

    @AfterEach
    void closeAll() {
        open.forEach(DurableStore::close);
        assertThat(writeFailures).isEmpty();
    }

    private CoreBatchQueue openQueue() throws IOException {
        ReplayClock clock = new ReplayClock();
        CoreBatchQueue queue = new CoreBatchQueue(clock, new ModelAwarePlanner(), (message, error) -> { });
        open.add(DurableStore.open(directory, queue.admin(), clock, writeFailures::add, "test"));
        return queue;
    }

    private DurableStore.Report lastReport() {
        return open.get(open.size() - 1).report();
    }

    private void restart() {
        open.forEach(DurableStore::close);
        open.clear();
    }

    private static <D> BatchJob<D> job(String id, String model, List<BatchItem<D>> items) {
        return BatchJob.of(model, "tag", OverwritePolicy.SKIP, items).withId(id);
    }

    @Test
    void aMeasuredModelLoadComesBackAndBadOnesAreRefused() throws IOException {
        CoreBatchQueue queue = openQueue();
        queue.admin().recordLoadTime("llava:13b", 1_800);
        assertThatThrownBy(() -> queue.admin().recordLoadTime("llava:13b", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("llava:13b");
        restart();
        assertThat(openQueue().admin().loadTimeMs("llava:13b")).hasValue(1_800.0);
    }

    @Test
    void everyKindOfChangeComesBackExactly() throws IOException {
        CoreBatchQueue queue = openQueue();
        queue.enqueue(job("done", "llava", List.of(BatchItem.of("a", "cat.jpg", SizeBucket.SMALL),
                BatchItem.of("b", "dog.jpg", SizeBucket.LARGE), BatchItem.of("c", "x.jpg", SizeBucket.MEDIUM))));
        queue.markRunning("done");
        queue.updateItem("done", "a", BatchItemStatus.RUNNING, null, null);
        queue.updateItem("done", "a", BatchItemStatus.COMPLETED, null, 120L, "cat, sunset");
        queue.updateItem("done", "b", BatchItemStatus.FAILED, "out of memory", 30L);
        queue.cancelItem("done", "c");
        queue.markCompleted("done");
        queue.retryFailed("done");
        queue.enqueue(job("maps", "moondream", List.of(BatchItem.<Object>of("m", Map.of("k", 1), SizeBucket.UNKNOWN),
                BatchItem.<Object>of("n", 42L, SizeBucket.SMALL))).withPriority(JobPriority.HIGH));
        queue.enqueue(job("gone", "bakllava", List.of(BatchItem.of("g", "g.jpg", SizeBucket.SMALL))));
        queue.cancelJob("gone");
        queue.enqueue(job("front", "bakllava", List.of(BatchItem.of("f", "f.jpg", SizeBucket.SMALL))));
        queue.moveToFront("front");
        queue.setPriority("front", JobPriority.LOW);
        queue.enqueue(job("purged", "llava", List.of(BatchItem.of("p", "p.jpg", SizeBucket.SMALL))));
        queue.cancelJob("purged");
        queue.purge("purged");
        queue.pause();
        List<BatchJob<?>> before = queue.listJobs();

        restart();
        CoreBatchQueue again = openQueue();

        assertThat(again.listJobs()).isEqualTo(before);
        assertThat(again.isPaused()).isTrue();
        assertThat(again.getJob("purged")).isEmpty();
        assertThat(again.etaSampleCount("llava", "tag", SizeBucket.SMALL)).isEqualTo(1);
        assertThat(again.getJob("maps").orElseThrow().items().get(0).data()).isEqualTo(Map.of("k", 1));
        assertThat(again.getJob("maps").orElseThrow().items().get(1).data()).isEqualTo(42L);
        assertThat(lastReport().problems()).isEmpty();
        assertThat(lastReport().recordsRecovered()).as("one record per change above").isEqualTo(18);
    }

    @Test
    void runningItemsGoBackToPendingAndTheirJobsToTheQueue() throws IOException {
        CoreBatchQueue queue = openQueue();
        queue.enqueue(job("j", "llava", List.of(BatchItem.of("a", "a", SizeBucket.SMALL),
                BatchItem.of("b", "b", SizeBucket.SMALL))));
        queue.markRunning("j");
        queue.updateItem("j", "a", BatchItemStatus.COMPLETED, null, 10L, "ok");
        queue.updateItem("j", "b", BatchItemStatus.RUNNING, null, null);

        restart();
        CoreBatchQueue again = openQueue();

        BatchJob<?> job = again.getJob("j").orElseThrow();
        assertThat(job.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(job.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.COMPLETED,
                BatchItemStatus.PENDING);
        assertThat(lastReport().requeued()).isEqualTo(1);
        restart();
        assertThat(openQueue().getJob("j").orElseThrow().status()).as("the requeue itself was journaled")
                .isEqualTo(BatchJobStatus.QUEUED);
    }

    @Test
    void dataOfAPluginClassStaysJsonUntilAHandlerDeclaresIt() throws IOException {
        CoreBatchQueue queue = openQueue();
        queue.enqueue(job("photos", "llava", List.of(BatchItem.of("a", new Photo("/p/cat.jpg", 4000),
                SizeBucket.LARGE))));

        restart();
        CoreBatchQueue again = openQueue();

        Object data = again.getJob("photos").orElseThrow().items().get(0).data();
        assertThat(data).isInstanceOf(JsonNode.class);
        assertThat(((JsonNode) data).get("path").asText()).isEqualTo("/p/cat.jpg");
        assertThat(again.executor().restoredDataType("photos")).contains(Photo.class.getName());
        restart();
        assertThat(openQueue().executor().restoredDataType("photos")).as("recorded again as the plugin's class, not as JSON")
                .contains(Photo.class.getName());
    }

    @Test
    void dataJacksonCannotWriteIsRejectedAndNothingChanges() throws IOException {
        CoreBatchQueue queue = openQueue();
        assertThatThrownBy(() -> queue.enqueue(job("bad", "llava", List.of(BatchItem.of("a", new Object(),
                SizeBucket.SMALL))))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad").hasMessageContaining("Jackson-serializable");
        assertThat(queue.listJobs()).isEmpty();
        queue.enqueue(job("good", "llava", List.of(BatchItem.of("a", "x", SizeBucket.SMALL))));
        restart();
        assertThat(openQueue().listJobs()).extracting(BatchJob::id).containsExactly("good");
    }

    @Test
    void aLastLineCutShortByACrashIsDroppedQuietly() throws IOException {
        CoreBatchQueue queue = openQueue();
        queue.enqueue(job("j", "llava", List.of(BatchItem.of("a", "a", SizeBucket.SMALL))));
        restart();
        Files.writeString(directory.resolve("journal.log"), "{\"v\":1,\"seq\":2,\"op\":\"sta",
                StandardOpenOption.APPEND);

        CoreBatchQueue again = openQueue();
        assertThat(lastReport().problems()).isEmpty();
        again.markRunning("j");
        restart();
        assertThat(openQueue().getJob("j").orElseThrow().status()).as("appends after the cut are readable")
                .isEqualTo(BatchJobStatus.QUEUED); // running at the stop: back in the queue
        assertThat(lastReport().problems()).isEmpty();
    }

    @Test
    void aCorruptedLineIsLostAloneAndTheFileMovedAside() throws IOException {
        CoreBatchQueue queue = openQueue();
        queue.enqueue(job("one", "llava", List.of(BatchItem.of("a", "a", SizeBucket.SMALL))));
        queue.enqueue(job("two", "llava", List.of(BatchItem.of("b", "b", SizeBucket.SMALL))));
        queue.enqueue(job("three", "llava", List.of(BatchItem.of("c", "c", SizeBucket.SMALL))));
        restart();
        Path file = directory.resolve("journal.log");
        List<String> lines = Files.readAllLines(file);
        lines.set(1, lines.get(1).substring(0, 20) + "#garbage#" + lines.get(1).substring(20));
        Files.write(file, lines);

        CoreBatchQueue again = openQueue();

        assertThat(again.listJobs()).extracting(BatchJob::id).containsExactly("one", "three");
        DurableStore.Report report = lastReport();
        assertThat(report.problems()).hasSize(1).allMatch(problem -> problem.startsWith("line 2:"));
        assertThat(report.movedAside()).exists();
        assertThat(Files.readString(report.movedAside())).contains("#garbage#");
        restart();
        assertThat(openQueue().listJobs()).extracting(BatchJob::id).containsExactly("one", "three");
        assertThat(lastReport().problems()).as("the new journal is clean").isEmpty();
    }

    @Test
    void aForeignFileIsMovedAsideAndTheQueueStartsEmpty() throws IOException {
        Files.writeString(directory.resolve("journal.log"), "this is not a journal\n{\"some\":\"json\"}\n",
                StandardCharsets.UTF_8);
        CoreBatchQueue queue = openQueue();
        assertThat(queue.listJobs()).isEmpty();
        assertThat(lastReport().problems()).hasSize(2);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("journal.log.damaged-"));
        }
    }

    @Test
    void concurrentWritersAreAllDurable() throws Exception {
        CoreBatchQueue queue = openQueue();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    queue.enqueue(job("t" + thread + "-" + i, "m" + (i % 3),
                            List.of(BatchItem.of("a", "x", SizeBucket.SMALL))));
                }
            }));
        }
        for (Future<?> future : done) {
            future.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();
        List<BatchJob<?>> before = queue.listJobs();
        restart();
        assertThat(openQueue().listJobs()).isEqualTo(before).hasSize(400);
    }

    @Test
    void aHundredThousandItemJobIsJournaledAndRestored() throws IOException {
        CoreBatchQueue queue = openQueue();
        List<BatchItem<String>> items = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            items.add(BatchItem.of("item-" + i, "/photos/" + i + ".jpg", SizeBucket.MEDIUM));
        }
        queue.enqueue(job("huge", "llava", items));
        queue.markRunning("huge");
        queue.updateItem("huge", "item-99999", BatchItemStatus.COMPLETED, null, 5L, "last");
        restart();
        BatchJob<?> restored = openQueue().getJob("huge").orElseThrow();
        assertThat(restored.items()).hasSize(100_000);
        assertThat(restored.items().get(99_999).output()).isEqualTo("last");
        assertThat(restored.items().get(12_345).data()).isEqualTo("/photos/12345.jpg");
    }

    @Test
    void compactionKeepsOnlyLiveJobsAndTheStatisticsExactly() throws IOException {
        CoreBatchQueue queue = openQueue();
        for (int i = 0; i < 30; i++) {
            String id = "old-" + i;
            queue.enqueue(job(id, i % 2 == 0 ? "llava" : "moondream", List.of(BatchItem.of("a", "a",
                    SizeBucket.SMALL), BatchItem.of("b", "b", SizeBucket.LARGE))));
            queue.markRunning(id);
            queue.updateItem(id, "a", BatchItemStatus.COMPLETED, null, 100L + i, "ok");
            queue.updateItem(id, "b", BatchItemStatus.COMPLETED, null, 300L + i, "ok");
            queue.markCompleted(id);
        }
        queue.enqueue(job("kept", "llava", List.of(BatchItem.of("k", "k", SizeBucket.SMALL))));
        queue.purgeFinished(java.time.Instant.MAX);
        DurableStore store = open.get(0);
        long before = store.recordsInFile();
        assertThat(store.compactIfLarger(queue.admin(), 100)).isTrue();
        queue.pause(); // a record after the checkpoint: appends go on in the new file
        assertThat(store.compactions()).isEqualTo(1);
        assertThat(store.recordsInFile()).as("from %s records", before).isEqualTo(3); // kept, checkpoint, pause
        List<BatchJob<?>> jobs = queue.listJobs();
        long small = queue.etaSampleCount("llava", "tag", SizeBucket.SMALL);
        java.util.OptionalLong estimate = queue.estimateRemainingMs("kept");

        restart();
        CoreBatchQueue again = openQueue();

        assertThat(again.listJobs()).isEqualTo(jobs);
        assertThat(again.etaSampleCount("llava", "tag", SizeBucket.SMALL)).isEqualTo(small).isEqualTo(15);
        assertThat(again.estimateRemainingMs("kept")).isEqualTo(estimate);
        assertThat(again.isPaused()).isTrue();
        assertThat(lastReport().problems()).isEmpty();
    }

    @Test
    void anItemWaitingForAnotherAttemptComesBackWithItsErrorAndAttempts() throws IOException {
        CoreBatchQueue queue = openQueue();
        queue.enqueue(job("j", "llava", List.of(BatchItem.of("a", "a", SizeBucket.SMALL))));
        queue.markRunning("j");
        queue.updateItem("j", "a", BatchItemStatus.RUNNING, null, null);
        assertThat(queue.executor().retryLater("j", "a", "server busy", 12L)).isTrue();
        queue.updateItem("j", "a", BatchItemStatus.RUNNING, null, null);
        queue.updateItem("j", "a", BatchItemStatus.FAILED, "server busy again", 11L);
        queue.markCompleted("j");
        List<BatchJob<?>> before = queue.listJobs();
        restart();
        CoreBatchQueue again = openQueue();
        assertThat(again.listJobs()).isEqualTo(before);
        assertThat(again.getJob("j").orElseThrow().items().get(0).attempts()).isEqualTo(2);
    }
}

package ai.batch.queue.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.executor.QueueExecutor;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.models.LifecycleRegistry;
import ai.batch.queue.impl.models.ModelEvents;
import ai.batch.queue.impl.models.ModelResidency;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * The residency report: the same jobs against the fake Ollama (3 models, loads of {@value #LOAD_MS} ms, items of
 * {@value #ITEM_MS} ms, room for 1 or 2 models) sent (a) straight to the server in enqueue order, as an
 * application without the queue would; (b) through the queue and the Ollama handler without the lifecycle
 * service; (c) with it, so the queue preloads the next model while a job runs. It writes
 * {@code target/residency-report.md} and checks only the loads: time is reported, never asserted.
 */
class ResidencyReportTest {

    private static final long LOAD_MS = 300;
    private static final long ITEM_MS = 40;
    private static final String[] MODELS = {"llava:13b", "moondream", "qwen2.5-vl:7b"};
    private static final int JOBS = 9;
    private static final int ITEMS = 4;

    private record Run(String name, int capacity, int loads, long makespanMs) {
    }

    @Test
    void thePlannedQueueLoadsEachModelOnceAndPreloadingHidesTheLoads() throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int capacity : new int[] {1, 2}) {
            runs.add(direct(capacity));
            runs.add(queued(capacity, capacity, false));
            runs.add(queued(capacity, capacity, true));
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/residency-report.md"), report(runs));
        System.out.println(report(runs));

        int lowerBound = MODELS.length; // every job queued at once, none waits past the maximum wait
        for (Run run : runs) {
            if (run.name().startsWith("(a)")) {
                // Room for 1: every job loads. Room for 2: Ollama evicts the idle model first in its order
                // (keep_alive, then name), so the model last in that order stays once loaded and the other two
                // take turns in the second place: 3 loads at first, then 2 for each of the 2 later rounds.
                assertThat(run.loads()).as(run.name()).isEqualTo(run.capacity() == 1 ? JOBS : 7);
            } else {
                assertThat(run.loads()).as(run.name() + " capacity " + run.capacity()).isEqualTo(lowerBound);
            }
        }
    }

    private static List<BatchJob<String>> jobs() {
        List<BatchJob<String>> jobs = new ArrayList<>();
        for (int j = 0; j < JOBS; j++) {
            List<BatchItem<String>> items = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                items.add(BatchItem.of("item-" + i, "describe photo " + j + "-" + i, SizeBucket.MEDIUM));
            }
            jobs.add(BatchJob.of(MODELS[j % MODELS.length], "caption", OverwritePolicy.OVERWRITE, items)
                    .withId("job-" + j));
        }
        return jobs;
    }

    private static FakeOllama server(int capacity) throws IOException {
        FakeOllama server = FakeOllama.start(MODELS);
        server.capacity = capacity;
        server.loadTime = Duration.ofMillis(LOAD_MS);
        server.computeTime = Duration.ofMillis(ITEM_MS);
        return server;
    }

    private static OllamaHandler handler(FakeOllama server, int capacity) {
        Map<String, Object> config = Items.config(server.url(), MODELS);
        config.put("capacity", capacity);
        return Items.handler(config, new RecordingLogger());
    }

    /** (a): one request per item, in enqueue order, as an application calling the server directly would. */
    private static Run direct(int capacity) throws Exception {
        try (FakeOllama server = server(capacity)) {
            OllamaHandler ollama = handler(server, capacity);
            long start = System.nanoTime();
            for (BatchJob<String> job : jobs()) {
                for (BatchItem<String> item : job.items()) {
                    ItemResult result = ollama.process(item.data(), Items.item(job.resourceKey(), "caption",
                            item.id()));
                    assertThat(result.isSuccess()).as(result.error()).isTrue();
                }
            }
            return new Run("(a) straight to the server, in enqueue order", capacity, server.loads(),
                    elapsedMs(start));
        }
    }

    /**
     * A capacity configured above what the server holds (room for 2 configured, the server holds 1): the first
     * preload evicts the running model, the lifecycle notices and preloads no more, so the loads stay near the
     * bound instead of one eviction and one reload for every preload.
     */
    @Test
    void aCapacityAboveWhatTheServerHoldsCostsOneEvictionNotOneForEveryPreload() throws Exception {
        Run run = queued(1, 2, true);

        System.out.println("server room 1, configured capacity 2, (c): " + run.loads() + " loads, "
                + run.makespanMs() + " ms");
        // the bound, plus the preload that found out and the reload of the model it evicted
        assertThat(run.loads()).isBetween(MODELS.length, MODELS.length + 2);
    }

    /** (b) and (c): the real queue and executor with the Ollama handler, with or without its lifecycle. */
    private static Run queued(int serverCapacity, int capacity, boolean lifecycle) throws Exception {
        try (FakeOllama server = server(serverCapacity)) {
            OllamaHandler ollama = handler(server, capacity);
            RecordingLogger log = new RecordingLogger();
            CoreBatchQueue queue = new CoreBatchQueue();
            CountDownLatch ended = new CountDownLatch(JOBS);
            queue.admin().listeners().add(new QueueListener() {
                @Override
                public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
                    ended.countDown();
                }
            });
            HandlerRegistry handlers = new HandlerRegistry();
            QueueSettings settings = QueueSettings.executor(true, 1, 60_000, "residency-report");
            ModelResidency residency = null;
            if (lifecycle) {
                LifecycleRegistry lifecycles = new LifecycleRegistry();
                lifecycles.put(ollama, Map.of(BatchItemHandler.RESOURCE, MODELS, "service.id", 2L));
                residency = new ModelResidency(queue, queue.admin(), lifecycles, ModelEvents.NONE, settings,
                        log.logger);
                queue.admin().listeners().add(residency);
            }
            queue.pause(); // every job is queued before the first starts, as in (a)
            QueueExecutor executor = new QueueExecutor(queue.executor(), handlers, settings, log.logger);
            try {
                handlers.put(HandlerRegistration.of(ollama, Map.of(BatchItemHandler.RESOURCE, MODELS,
                        "service.id", 1L)));
                jobs().forEach(queue::enqueue);
                long start = System.nanoTime();
                queue.resume();
                assertThat(ended.await(60, TimeUnit.SECONDS)).as("every job ended").isTrue();
                long makespan = elapsedMs(start);
                queue.listJobs().forEach(job -> assertThat(job.status()).isEqualTo(BatchJobStatus.COMPLETED));
                return new Run(lifecycle ? "(c) the queue with the lifecycle service (preloading)"
                        : "(b) the queue, no lifecycle service", capacity, server.loads(), makespan);
            } finally {
                executor.close(5_000);
                if (residency != null) {
                    residency.close();
                }
            }
        }
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static String report(List<Run> runs) {
        long work = JOBS * ITEMS * ITEM_MS;
        StringBuilder text = new StringBuilder("| runtime room | how | loads | makespan | makespan / (work + "
                + "loads that cannot overlap) |\n|---|---|---|---|---|\n");
        for (Run run : runs) {
            // Without preloading every load stops the work; with it, only the first cannot overlap.
            long unavoidable = run.name().startsWith("(c)") && run.capacity() > 1 ? 1 : MODELS.length;
            double ratio = (double) run.makespanMs() / (work + unavoidable * LOAD_MS);
            text.append(String.format("| %d | %s | %d | %d ms | %.3f |%n", run.capacity(), run.name(), run.loads(),
                    run.makespanMs(), ratio));
        }
        text.append(String.format("%nWork: %d jobs x %d items x %d ms = %d ms; a load takes %d ms; %d models.%n",
                JOBS, ITEMS, ITEM_MS, work, LOAD_MS, MODELS.length));
        return text.toString();
    }
}

package ai.batch.queue.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.executor.QueueExecutor;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * Three fake Ollama servers, each with room for one model ({@code OLLAMA_MAX_LOADED_MODELS=1}), all able to run
 * five models, and fifteen jobs of those models enqueued interleaved, through the real queue and executor. Loads
 * are counted by each server. As slots (the Ollama bundle's default), every server works and the loads stay at most
 * models + servers, whatever {@code executor.concurrentJobs}; as plain handlers ({@code ai.batch.slot=none}) every
 * item goes to one server, and with three jobs at once their models take turns in its one place. Writes
 * {@code target/three-servers-report.md}; time is reported, never asserted.
 */
class ThreeServersTest {

    private static final String[] MODELS = {"llava:13b", "moondream", "qwen2.5vl:7b", "gemma3:12b", "minicpm-v"};
    private static final int SERVERS = 3;
    private static final int ROUNDS = 3;
    private static final int ITEMS = 6;
    private static final long LOAD_MS = 300;
    private static final long ITEM_MS = 20;

    private record Run(String how, boolean arriving, int concurrentJobs, List<Integer> loads, long makespanMs) {
        int total() {
            return loads.stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Test
    void slotsLoadEachModelOnFewServersWhateverTheConcurrentJobs() throws Exception {
        List<Run> runs = new ArrayList<>();
        for (boolean arriving : new boolean[] {false, true}) {
            runs.add(run(true, 1, arriving));
            runs.add(run(true, 3, arriving));
            runs.add(run(false, 1, arriving));
            if (!arriving) {
                // Arriving jobs run three models at once on the plain handlers' one server; there, as in Ollama, a
                // request for the busy model renews its keep_alive before the waiting load can evict it, so the
                // other jobs wait for keep_alive (5 minutes by default) to run out: too long for a test.
                runs.add(run(false, 3, false));
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/three-servers-report.md"), report(runs));
        System.out.println(report(runs));

        Run plainOneAtATime = runs.get(2);
        for (Run slots : runs.stream().filter(run -> run.how().startsWith("slots")).toList()) {
            // Arriving, the first job may be alone in the queue while all three slots are idle and nothing is
            // learned yet: work of unknown length is worth a copy, so each slot may load its model too.
            int bound = MODELS.length + (slots.arriving() ? 2 : 1) * SERVERS;
            assertThat(slots.total()).as("loads as slots, concurrentJobs %d, arriving %s", slots.concurrentJobs(),
                    slots.arriving()).isLessThanOrEqualTo(bound);
            assertThat(slots.loads()).as("every server worked").allMatch(loads -> loads > 0);
        }
        assertThat(plainOneAtATime.loads()).as("plain handlers: one server, one load per model")
                .containsExactly(MODELS.length, 0, 0);
    }

    /**
     * @param arriving whether the jobs are enqueued while the queue runs (the first ones start before the others
     *        are planned), rather than all queued before the first starts
     */
    private static Run run(boolean slots, int concurrentJobs, boolean arriving) throws Exception {
        List<FakeOllama> servers = new ArrayList<>();
        try {
            for (int i = 0; i < SERVERS; i++) {
                FakeOllama server = FakeOllama.start(MODELS);
                server.capacity = 1;
                server.loadTime = Duration.ofMillis(LOAD_MS);
                server.computeTime = Duration.ofMillis(ITEM_MS);
                servers.add(server);
            }
            CoreBatchQueue queue = new CoreBatchQueue();
            CountDownLatch ended = new CountDownLatch(ROUNDS * MODELS.length);
            queue.admin().listeners().add(new QueueListener() {
                @Override
                public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
                    ended.countDown();
                }
            });
            if (!arriving) {
                queue.pause(); // every job is queued before the first starts
            }
            HandlerRegistry handlers = new HandlerRegistry();
            QueueExecutor executor = new QueueExecutor(queue.executor(), handlers,
                    QueueSettings.executor(true, concurrentJobs, 60_000, "three-servers"),
                    new RecordingLogger().logger);
            List<OllamaHandler> ollamas = new ArrayList<>();
            try {
                for (int i = 0; i < SERVERS; i++) {
                    OllamaHandler ollama = Items.handler(Items.config(servers.get(i).url(), MODELS),
                            new RecordingLogger());
                    ollamas.add(ollama);
                    Map<String, Object> properties = new HashMap<>();
                    properties.put(BatchItemHandler.RESOURCE, MODELS);
                    properties.put("service.id", (long) i + 1);
                    if (slots) {
                        properties.put(BatchItemHandler.SLOT, "ollama@127.0.0.1:" + servers.get(i).port());
                    }
                    handlers.put(HandlerRegistration.of(ollama, properties));
                }
                long start = System.nanoTime(); // enqueueing the jobs takes a few milliseconds
                for (int round = 0; round < ROUNDS; round++) {
                    for (String model : MODELS) {
                        queue.enqueue(job(model, round));
                    }
                }
                queue.resume(); // nothing to do when the jobs arrived while it ran
                assertThat(ended.await(120, TimeUnit.SECONDS)).as("every job ended").isTrue();
                long makespanMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                queue.listJobs().forEach(job -> assertThat(job.status()).as(job.id())
                        .isEqualTo(BatchJobStatus.COMPLETED));
                return new Run(slots ? "slots (default)" : "plain handlers (ai.batch.slot=none)", arriving,
                        concurrentJobs, servers.stream().map(FakeOllama::loads).toList(), makespanMs);
            } finally {
                executor.close(5_000);
                ollamas.forEach(OllamaHandler::deactivate);
            }
        } finally {
            servers.forEach(FakeOllama::close);
        }
    }

    private static BatchJob<String> job(String model, int round) {
        List<BatchItem<String>> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(BatchItem.of("item-" + i, "describe photo " + round + "-" + i, SizeBucket.MEDIUM));
        }
        return BatchJob.of(model, "caption", OverwritePolicy.OVERWRITE, items);
    }

    private static String report(List<Run> runs) throws IOException {
        StringBuilder text = new StringBuilder("| jobs | handlers | executor.concurrentJobs | loads per server | loads |"
                + " makespan |\n|---|---|---:|---|---:|---:|\n");
        for (Run run : runs) {
            text.append(String.format("| %s | %s | %d | %s | %d | %d ms |%n",
                    run.arriving() ? "enqueued while running" : "all queued first", run.how(), run.concurrentJobs(),
                    String.join(" / ", run.loads().stream().map(String::valueOf).toList()), run.total(),
                    run.makespanMs()));
        }
        text.append(String.format("%n%d servers with room for 1 model each; %d jobs (%d rounds of %d models, "
                + "enqueued interleaved) of %d items; a load takes %d ms, an item %d ms.%n", SERVERS,
                ROUNDS * MODELS.length, ROUNDS, MODELS.length, ITEMS, LOAD_MS, ITEM_MS));
        return text.toString();
    }
}

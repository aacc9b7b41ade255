package ai.batch.queue.impl.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
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
import ai.batch.queue.impl.journal.DurableStore;
import ai.batch.queue.impl.journal.ReplayClock;
import ai.batch.queue.impl.plan.ModelAwarePlanner;
import ai.batch.queue.impl.testing.RecordingLogger;

/**
 * Eight threads enqueue, cancel, retry, update, pause and resume at random against a running executor with the
 * journal on, for a bounded number of operations; then the queue must drain, every job must be consistent, only
 * the documented exceptions may have been thrown, and a restart must rebuild exactly the same state.
 */
class StressTest {

    private static final int THREADS = 8;
    private static final int OPERATIONS_PER_THREAD = 150;
    private static final String[] MODELS = {"llava", "moondream", "bakllava"};

    @TempDir
    Path directory;

    private final Map<String, AtomicInteger> unexpected = new ConcurrentHashMap<>();

    @Test
    void randomConcurrentUseKeepsTheQueueConsistentAndDurable() throws Exception {
        ReplayClock clock = new ReplayClock();
        CoreBatchQueue queue = new CoreBatchQueue(clock, new ModelAwarePlanner(), (message, error) -> { });
        DurableStore store = DurableStore.open(directory, queue.admin(), clock, error -> unexpected
                .computeIfAbsent("journal: " + error, key -> new AtomicInteger()).incrementAndGet(), "stress");
        HandlerRegistry handlers = new HandlerRegistry();
        long serviceId = 1;
        for (String model : MODELS) {
            BatchItemHandler<String> handler = (data, context) -> data.endsWith("7")
                    ? ItemResult.failure("unlucky " + data) : ItemResult.successWithOutput("ok " + data);
            handlers.put(HandlerRegistration.of(handler, Map.of(BatchItemHandler.RESOURCE, model,
                    "service.id", serviceId++)));
        }
        QueueExecutor executor = new QueueExecutor(queue.executor(), handlers, QueueSettings.executor(true, 2, 10_000, "stress"),
                new RecordingLogger().logger());
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(1000 + t);
            int thread = t;
            done.add(threads.submit(() -> {
                start.await();
                for (int op = 0; op < OPERATIONS_PER_THREAD; op++) {
                    operate(queue, ids, random, "t" + thread + "-" + op);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();
        queue.resume();
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> queue.queuedCount() == 0
                && !queue.hasRunningJob());
        executor.close(5_000);

        assertThat(unexpected).as("only documented exceptions").isEmpty();
        List<BatchJob<?>> jobs = queue.listJobs();
        assertThat(jobs).hasSizeGreaterThan(THREADS * OPERATIONS_PER_THREAD / 4);
        jobs.forEach(StressTest::assertConsistent);
        store.close();

        ReplayClock again = new ReplayClock();
        CoreBatchQueue restored = new CoreBatchQueue(again, new ModelAwarePlanner(), (message, error) -> { });
        DurableStore reopened = DurableStore.open(directory, restored.admin(), again, error -> { }, "stress-check");
        try {
            assertThat(reopened.report().problems()).isEmpty();
            assertThat(restored.listJobs()).isEqualTo(jobs);
        } finally {
            reopened.close();
        }
    }

    private void operate(CoreBatchQueue queue, List<String> ids, Random random, String name) {
        String target = ids.isEmpty() ? "none" : ids.get(random.nextInt(ids.size()));
        try {
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> {
                    List<BatchItem<String>> items = new ArrayList<>();
                    for (int i = 0; i < 1 + random.nextInt(5); i++) {
                        items.add(BatchItem.of("i" + i, name + "-" + i + random.nextInt(10), SizeBucket.SMALL));
                    }
                    ids.add(queue.enqueue(BatchJob.of(MODELS[random.nextInt(MODELS.length)], "tag",
                            OverwritePolicy.OVERWRITE, items).withId(name)));
                }
                case 4 -> queue.cancelJob(target);
                case 5 -> queue.cancelItem(target, "i" + random.nextInt(5));
                case 6 -> queue.retryFailed(target);
                case 7 -> queue.updateItem(target, "i0", BatchItemStatus.COMPLETED, null, 5L);
                case 8 -> queue.moveToFront(target);
                default -> {
                    if (random.nextBoolean()) {
                        queue.pause();
                    } else {
                        queue.resume();
                    }
                }
            }
        } catch (IllegalStateException | NoSuchElementException expected) {
            // documented outcomes of racing another thread: wrong state now, or an unknown id
        } catch (RuntimeException e) {
            unexpected.computeIfAbsent(e.toString(), key -> new AtomicInteger()).incrementAndGet();
        }
    }

    private static void assertConsistent(BatchJob<?> job) {
        assertThat(job.status().isFinished()).as("job %s finished", job.id()).isTrue();
        boolean anyFailed = job.items().stream().anyMatch(item -> item.status() == BatchItemStatus.FAILED);
        switch (job.status()) {
            case COMPLETED -> assertThat(anyFailed).as("%s completed without failures", job.id()).isFalse();
            case COMPLETED_WITH_ERRORS -> assertThat(anyFailed).as("%s has a failure", job.id()).isTrue();
            default -> assertThat(job.status()).isEqualTo(BatchJobStatus.CANCELLED);
        }
        for (BatchItem<?> item : job.items()) {
            assertThat(item.status().isFinal()).as("%s/%s final", job.id(), item.id()).isTrue();
            if (item.status() == BatchItemStatus.COMPLETED && item.output() != null) {
                assertThat(item.output()).isEqualTo("ok " + item.data());
            }
        }
        assertThat(job.completedAt()).isNotNull();
    }
}

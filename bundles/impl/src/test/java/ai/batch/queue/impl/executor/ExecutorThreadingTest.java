package ai.batch.queue.impl.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.testing.RecordingLogger;

/**
 * Handler calls on the executor's own threads: calls that ignore interrupts are abandoned without holding up the
 * job, and handlers declaring {@code ai.batch.concurrency} get that many items at once.
 */
class ExecutorThreadingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final CoreBatchQueue queue = new CoreBatchQueue();
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final RecordingLogger log = new RecordingLogger();
    private final JobEnds jobEnds = new JobEnds(queue);
    private final CountDownLatch releaseStuck = new CountDownLatch(1);
    private QueueExecutor executor;

    @AfterEach
    void stop() {
        releaseStuck.countDown(); // lets abandoned threads end
        if (executor != null) {
            executor.close(5_000);
        }
    }

    private void start(long timeoutMs) {
        executor = new QueueExecutor(queue.executor(), handlers, QueueSettings.executor(true, 1, timeoutMs, "threading-test"),
                log.logger());
    }

    private void register(BatchItemHandler<?> handler, Object concurrency) {
        Map<String, Object> properties = new java.util.HashMap<>();
        properties.put(BatchItemHandler.RESOURCE, "m");
        properties.put("service.id", 1L);
        if (concurrency != null) {
            properties.put(BatchItemHandler.CONCURRENCY, concurrency);
        }
        handlers.put(HandlerRegistration.of(handler, properties));
    }

    private String enqueue(int count, String firstData) {
        List<BatchItem<Object>> items = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            items.add(BatchItem.of("i" + i, i == 1 ? firstData : "ok", SizeBucket.SMALL));
        }
        return queue.enqueue(BatchJob.of("m", "tag", OverwritePolicy.OVERWRITE, items));
    }

    private BatchJob<?> awaitEnd(String jobId) throws InterruptedException {
        return jobEnds.await(jobId, DEADLINE);
    }

    /** Blocks until {@link #releaseStuck}, swallowing every interrupt. */
    private void ignoreInterruptsUntilReleased() {
        while (true) {
            try {
                releaseStuck.await();
                return;
            } catch (InterruptedException ignored) {
                // this handler does not stop when asked
            }
        }
    }

    @Test
    void callIgnoringItsTimeoutIsAbandonedAndTheJobGoesOnOnAnotherThread() throws Exception {
        start(100);
        List<Thread> callers = new java.util.concurrent.CopyOnWriteArrayList<>();
        register((data, context) -> {
            callers.add(Thread.currentThread());
            if ("stuck".equals(data)) {
                ignoreInterruptsUntilReleased();
            }
            return ItemResult.success();
        }, null);

        BatchJob<?> done = awaitEnd(enqueue(3, "stuck"));

        assertThat(done.items().get(0).status()).isEqualTo(BatchItemStatus.FAILED);
        assertThat(done.items().get(0).error()).contains("timed out after 100 ms");
        assertThat(done.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.FAILED,
                BatchItemStatus.COMPLETED, BatchItemStatus.COMPLETED);
        assertThat(callers.get(1)).as("the job went on on a fresh thread").isNotSameAs(callers.get(0));
        assertThat(log.lines()).anyMatch(line -> line.contains("is abandoned"));
    }

    @Test
    void cancelledCallIgnoringTheInterruptDoesNotHoldUpTheJob() throws Exception {
        start(60_000);
        BlockingQueue<String> started = new LinkedBlockingQueue<>();
        register((data, context) -> {
            started.add(context.itemId());
            if ("stuck".equals(data)) {
                ignoreInterruptsUntilReleased();
                return ItemResult.successWithOutput("late");
            }
            return ItemResult.success();
        }, null);
        String jobId = enqueue(2, "stuck");
        assertThat(started.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("i1");

        queue.cancelItem(jobId, "i1");
        BatchJob<?> done = awaitEnd(jobId);

        assertThat(done.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.CANCELLED,
                BatchItemStatus.COMPLETED);
        releaseStuck.countDown();
        assertThat(queue.getJob(jobId).orElseThrow().items().get(0).output()).isNull();
    }

    @Test
    void handlerGoneWhileItsCallIgnoresTheInterruptPutsTheJobBack() throws Exception {
        start(60_000);
        BlockingQueue<String> started = new LinkedBlockingQueue<>();
        register((data, context) -> {
            started.add(context.itemId());
            ignoreInterruptsUntilReleased();
            return ItemResult.success();
        }, null);
        String jobId = enqueue(2, "stuck");
        assertThat(started.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("i1");

        handlers.remove(1L);

        org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> jobEnds.queuedCauses.contains(jobId + ":handlerGone"));
        assertThat(queue.getJob(jobId).orElseThrow().items()).extracting(BatchItem::status)
                .containsOnly(BatchItemStatus.PENDING);
    }

    @Test
    void threadSafeHandlerGetsAsManyItemsAtOnceAsItDeclares() throws Exception {
        start(60_000);
        int lanes = 4;
        CountDownLatch allIn = new CountDownLatch(lanes);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        register((data, context) -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            allIn.countDown();
            // the first calls wait until four are in at once: only possible with four lanes
            boolean together = allIn.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            inside.decrementAndGet();
            return together ? ItemResult.success() : ItemResult.failure("calls did not overlap");
        }, String.valueOf(lanes));

        BatchJob<?> done = awaitEnd(enqueue(40, "ok"));

        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(done.items()).extracting(BatchItem::status).containsOnly(BatchItemStatus.COMPLETED);
        assertThat(mostInside.get()).isEqualTo(lanes);
    }

    @Test
    void withoutTheDeclarationCallsNeverOverlapAndAnInvalidValueMeansOne() throws Exception {
        start(60_000);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        register((data, context) -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            Thread.yield();
            inside.decrementAndGet();
            return ItemResult.success();
        }, "many");

        BatchJob<?> done = awaitEnd(enqueue(200, "ok"));

        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(mostInside.get()).isEqualTo(1);
        assertThat(HandlerRegistration.hasValidConcurrency(Map.of(BatchItemHandler.CONCURRENCY, "many"))).isFalse();
        assertThat(HandlerRegistration.hasValidConcurrency(Map.of(BatchItemHandler.CONCURRENCY, 0))).isFalse();
        assertThat(HandlerRegistration.hasValidConcurrency(Map.of(BatchItemHandler.CONCURRENCY, 257))).isFalse();
        assertThat(HandlerRegistration.hasValidConcurrency(Map.of(BatchItemHandler.CONCURRENCY, 8))).isTrue();
    }
}

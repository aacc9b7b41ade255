package ai.batch.queue.impl.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.RetryableException;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.testing.RecordingLogger;

/** Handlers declaring {@code ai.batch.batchSize}: one {@code processBatch} call for several items of a job. */
class MicroBatchTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final CoreBatchQueue queue = new CoreBatchQueue();
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final RecordingLogger log = new RecordingLogger();
    private final JobEnds jobEnds = new JobEnds(queue);
    /** The item ids of each processBatch call, in the order the calls began. */
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private QueueExecutor executor;

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.close(5_000);
        }
    }

    private void start(long timeoutMs) {
        start(QueueSettings.executor(true, 1, timeoutMs, "batch-test"));
    }

    private void start(QueueSettings settings) {
        executor = new QueueExecutor(queue.executor(), handlers, settings, log.logger());
    }

    /** A batch handler answering each call with {@code answer}, recording the item ids of every call. */
    private void register(Object batchSize, Map<String, Object> more,
            Function<List<ItemContext>, List<ItemResult>> answer) {
        register(batchSize, more, new BatchItemHandler<Object>() {
            @Override
            public ItemResult process(Object data, ItemContext context) {
                throw new AssertionError("process called for " + context.itemId() + " of a batch handler");
            }

            @Override
            public List<ItemResult> processBatch(List<Object> data, List<ItemContext> contexts) {
                calls.add(contexts.stream().map(ItemContext::itemId).toList());
                return answer.apply(contexts);
            }
        });
    }

    private void register(Object batchSize, Map<String, Object> more, BatchItemHandler<?> handler) {
        Map<String, Object> properties = new java.util.HashMap<>(more);
        properties.put(BatchItemHandler.RESOURCE, "m");
        properties.put("service.id", 1L);
        properties.put(BatchItemHandler.BATCH_SIZE, batchSize);
        handlers.put(HandlerRegistration.of(handler, properties));
    }

    private static List<ItemResult> outputs(List<ItemContext> contexts) {
        return contexts.stream().map(context -> ItemResult.successWithOutput("tags of " + context.itemId())).toList();
    }

    private String enqueue(int count) {
        return enqueue(count, OverwritePolicy.OVERWRITE);
    }

    private String enqueue(int count, OverwritePolicy policy) {
        List<BatchItem<Object>> items = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            items.add(BatchItem.of("i" + i, "data " + i, SizeBucket.SMALL));
        }
        return queue.enqueue(BatchJob.of("m", "tag", policy, items));
    }

    private BatchJob<?> awaitEnd(String jobId) throws InterruptedException {
        return jobEnds.await(jobId, DEADLINE);
    }

    @Test
    void itemsGoInCallsOfTheDeclaredSizeInOrderAndEachIsSettledOnItsOwn() throws Exception {
        start(60_000);
        List<String> progress = new CopyOnWriteArrayList<>();
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void itemFinished(ItemProgress item) {
                progress.add(item.item().id() + ":" + item.item().status());
            }
        });
        register(4, Map.of(), MicroBatchTest::outputs);

        BatchJob<?> done = awaitEnd(enqueue(10));

        assertThat(calls).containsExactly(List.of("i1", "i2", "i3", "i4"), List.of("i5", "i6", "i7", "i8"),
                List.of("i9", "i10"));
        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(done.items()).extracting(BatchItem::output).containsExactly("tags of i1", "tags of i2",
                "tags of i3", "tags of i4", "tags of i5", "tags of i6", "tags of i7", "tags of i8", "tags of i9",
                "tags of i10");
        assertThat(done.items()).extracting(BatchItem::attempts).containsOnly(1);
        Awaitility.await().atMost(DEADLINE).until(() -> progress.size() == 10);
        assertThat(progress).containsExactly("i1:COMPLETED", "i2:COMPLETED", "i3:COMPLETED", "i4:COMPLETED",
                "i5:COMPLETED", "i6:COMPLETED", "i7:COMPLETED", "i8:COMPLETED", "i9:COMPLETED", "i10:COMPLETED");
    }

    @Test
    void theCallsDurationIsSharedEvenlyAmongItsItems() throws Exception {
        start(60_000);
        List<Long> callNanos = new CopyOnWriteArrayList<>();
        register(4, Map.of(), contexts -> {
            long began = System.nanoTime();
            long until = began + TimeUnit.MILLISECONDS.toNanos(40L * contexts.size());
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // work that takes 40 ms per item
            }
            callNanos.add(System.nanoTime() - began);
            return outputs(contexts);
        });

        BatchJob<?> done = awaitEnd(enqueue(6));

        List<Long> durations = done.items().stream().map(BatchItem::durationMs).toList();
        assertThat(durations.subList(0, 4)).as("first call, 4 items").containsOnly(durations.get(0));
        assertThat(durations.subList(4, 6)).as("second call, 2 items").containsOnly(durations.get(4));
        // each item gets a quarter (a half) of its call, which took at least 160 ms (80 ms) in the handler
        assertThat(durations.get(0)).isGreaterThanOrEqualTo(TimeUnit.NANOSECONDS.toMillis(callNanos.get(0) / 4))
                .isLessThan(TimeUnit.NANOSECONDS.toMillis(callNanos.get(0)));
        assertThat(durations.get(4)).isGreaterThanOrEqualTo(TimeUnit.NANOSECONDS.toMillis(callNanos.get(1) / 2))
                .isLessThan(TimeUnit.NANOSECONDS.toMillis(callNanos.get(1)));
    }

    @Test
    void aThrowingCallFailsEveryItemOfItWithTheMessage() throws Exception {
        start(60_000);
        register(3, Map.of(), contexts -> {
            if (contexts.get(0).itemId().equals("i4")) {
                throw new IllegalStateException("GPU out of memory");
            }
            return outputs(contexts);
        });

        BatchJob<?> done = awaitEnd(enqueue(7));

        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(done.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.COMPLETED,
                BatchItemStatus.COMPLETED, BatchItemStatus.COMPLETED, BatchItemStatus.FAILED, BatchItemStatus.FAILED,
                BatchItemStatus.FAILED, BatchItemStatus.COMPLETED);
        assertThat(done.items().subList(3, 6)).extracting(BatchItem::error).containsOnly("GPU out of memory");
        assertThat(log.lines()).anyMatch(line -> line.startsWith("WARN Handler service {} failed in {}"));
    }

    @Test
    void aMissingOrWrongSizedResultListFailsEveryItemOfTheCall() throws Exception {
        start(60_000);
        register(3, Map.of(), contexts -> switch (contexts.get(0).itemId()) {
            case "i1" -> null;
            case "i4" -> outputs(contexts).subList(0, 2);
            default -> {
                List<ItemResult> results = new ArrayList<>(outputs(contexts));
                results.set(0, null); // one missing result fails only its own item
                yield results;
            }
        });

        BatchJob<?> done = awaitEnd(enqueue(8));

        assertThat(done.items()).extracting(BatchItem::error).containsExactly(
                "Handler returned no results (null)", "Handler returned no results (null)",
                "Handler returned no results (null)", "Handler returned 2 results for 3 items",
                "Handler returned 2 results for 3 items", "Handler returned 2 results for 3 items",
                "Handler returned no result (null)", null);
        assertThat(done.items().get(7).output()).isEqualTo("tags of i8");
    }

    @Test
    void retryableFailuresTryEachItemAgain() throws Exception {
        start(QueueSettings.executor(true, 1, 60_000, "batch-test").withRetries(3, 1, 5));
        Map<String, AtomicInteger> attempts = new java.util.concurrent.ConcurrentHashMap<>();
        register(4, Map.of(), contexts -> {
            Map<String, Integer> attempt = new java.util.HashMap<>();
            contexts.forEach(context -> attempt.put(context.itemId(),
                    attempts.computeIfAbsent(context.itemId(), id -> new AtomicInteger()).incrementAndGet()));
            if (attempt.getOrDefault("i1", 0) == 1) {
                sneakyThrow(new RetryableException("model busy"));
            }
            if (attempt.getOrDefault("i5", 0) == 1) {
                sneakyThrow(new java.io.IOException("connection reset"));
            }
            return contexts.stream().map(context -> context.itemId().equals("i6") && attempt.get("i6") == 2
                    ? ItemResult.retryableFailure("busy") : ItemResult.success()).toList();
        });

        BatchJob<?> done = awaitEnd(enqueue(8));

        // both calls may pass: each of their items is tried again; i6 fails once more on its own
        assertThat(done.items()).extracting(BatchItem::status).containsOnly(BatchItemStatus.COMPLETED);
        assertThat(done.items()).extracting(BatchItem::attempts).containsExactly(2, 2, 2, 2, 2, 3, 2, 2);
        assertThat(calls.get(0)).containsExactly("i1", "i2", "i3", "i4");
        assertThat(calls.get(1)).containsExactly("i5", "i6", "i7", "i8");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    @Test
    void cancellingOneItemDuringACallDiscardsOnlyItsResultWithoutStoppingTheCall() throws Exception {
        start(60_000);
        BlockingQueue<List<ItemContext>> inCall = new LinkedBlockingQueue<>();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        register(3, Map.of(), contexts -> {
            inCall.add(contexts);
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return outputs(contexts);
        });
        String jobId = enqueue(4);
        List<ItemContext> first = inCall.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(first).extracting(ItemContext::itemId).containsExactly("i1", "i2", "i3");

        queue.cancelItem(jobId, "i2");
        Awaitility.await().atMost(DEADLINE).until(() -> first.get(1).isCancelled());
        assertThat(first.get(0).isCancelled()).isFalse();
        release.countDown();
        BatchJob<?> done = awaitEnd(jobId);

        assertThat(interrupted).isFalse();
        assertThat(done.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.COMPLETED,
                BatchItemStatus.CANCELLED, BatchItemStatus.COMPLETED, BatchItemStatus.COMPLETED);
        assertThat(done.items()).extracting(BatchItem::output).containsExactly("tags of i1", null, "tags of i3",
                "tags of i4");
    }

    @Test
    void cancellingTheJobStopsTheCall() throws Exception {
        start(60_000);
        BlockingQueue<String> started = new LinkedBlockingQueue<>();
        CountDownLatch interrupted = new CountDownLatch(1);
        register(3, Map.of(), contexts -> {
            started.add(contexts.get(0).itemId());
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                assertThat(contexts).allMatch(ItemContext::isCancelled);
                interrupted.countDown();
            }
            return outputs(contexts);
        });
        String jobId = enqueue(6);
        assertThat(started.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("i1");

        queue.cancelJob(jobId);

        assertThat(interrupted.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        BatchJob<?> cancelled = queue.getJob(jobId).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(BatchJobStatus.CANCELLED);
        assertThat(cancelled.items()).extracting(BatchItem::status).containsOnly(BatchItemStatus.CANCELLED);
        assertThat(cancelled.items()).extracting(BatchItem::output).containsOnly((String) null);
        assertThat(started).as("no further call").isEmpty();
    }

    @Test
    void aCallMayTakeTheItemTimeoutOncePerItem() throws Exception {
        start(100);
        BlockingQueue<Long> stoppedAfterMs = new LinkedBlockingQueue<>();
        register(3, Map.of(), contexts -> {
            long began = System.nanoTime();
            if (contexts.get(0).itemId().equals("i1")) {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    stoppedAfterMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                }
            }
            return outputs(contexts);
        });

        BatchJob<?> done = awaitEnd(enqueue(4));

        assertThat(stoppedAfterMs.poll()).isGreaterThanOrEqualTo(300);
        assertThat(done.items().subList(0, 3)).extracting(BatchItem::error).containsOnly(
                "Handler timed out after 300 ms (100 ms for each of the call's 3 items)");
        assertThat(done.items().get(3).status()).isEqualTo(BatchItemStatus.COMPLETED);
    }

    @Test
    void anInvalidBatchSizeMeansOneProcessCallPerItem() throws Exception {
        start(60_000);
        List<String> processed = new CopyOnWriteArrayList<>();
        register("lots", Map.of(), new BatchItemHandler<Object>() {
            @Override
            public ItemResult process(Object data, ItemContext context) {
                processed.add(context.itemId());
                return ItemResult.success();
            }

            @Override
            public List<ItemResult> processBatch(List<Object> data, List<ItemContext> contexts) {
                throw new AssertionError("processBatch called for an invalid batch size");
            }
        });

        BatchJob<?> done = awaitEnd(enqueue(3));

        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(processed).containsExactly("i1", "i2", "i3");
    }

    @Test
    void skippedItemsLeaveTheBatchAndTheNextOnesTakeTheirPlace() throws Exception {
        start(60_000);
        List<String> asked = new CopyOnWriteArrayList<>();
        register(3, Map.of(), new BatchItemHandler<Object>() {
            @Override
            public ItemResult process(Object data, ItemContext context) {
                throw new AssertionError("process called");
            }

            @Override
            public List<ItemResult> processBatch(List<Object> data, List<ItemContext> contexts) {
                calls.add(contexts.stream().map(ItemContext::itemId).toList());
                return outputs(contexts);
            }

            @Override
            public boolean shouldSkip(Object data, String operation) {
                asked.add((String) data);
                return data.equals("data 2");
            }
        });

        BatchJob<?> done = awaitEnd(enqueue(5, OverwritePolicy.SKIP));

        assertThat(asked).containsExactly("data 1", "data 2", "data 3", "data 4", "data 5");
        assertThat(calls).containsExactly(List.of("i1", "i3", "i4"), List.of("i5"));
        assertThat(done.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.COMPLETED,
                BatchItemStatus.SKIPPED, BatchItemStatus.COMPLETED, BatchItemStatus.COMPLETED,
                BatchItemStatus.COMPLETED);
    }

    @Test
    void eachLaneTakesTheNextBatch() throws Exception {
        start(60_000);
        CountDownLatch bothIn = new CountDownLatch(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        register(3, Map.of(BatchItemHandler.CONCURRENCY, 2), contexts -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            bothIn.countDown();
            try {
                // the first two calls wait for each other: only possible with two lanes
                bothIn.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
            return outputs(contexts);
        });

        BatchJob<?> done = awaitEnd(enqueue(12));

        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(mostInside).hasValue(2);
        assertThat(calls).hasSize(4).allSatisfy(call -> assertThat(call).hasSize(3));
        assertThat(calls.stream().flatMap(List::stream).sorted()).containsExactlyInAnyOrder("i1", "i2", "i3",
                "i4", "i5", "i6", "i7", "i8", "i9", "i10", "i11", "i12");
        for (List<String> call : calls) {
            int first = Integer.parseInt(call.get(0).substring(1));
            assertThat(call).as("consecutive items").containsExactly("i" + first, "i" + (first + 1),
                    "i" + (first + 2));
        }
    }

    /** A plugin's data class, rebuilt from the journal as JSON. */
    public static final class Photo {
        public String path;
    }

    @Test
    void restoredDataIsConvertedForEveryItemOfABatch() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<BatchItem<Object>> items = List.of(
                BatchItem.of("a", mapper.readTree("{\"path\":\"/p/cat.jpg\"}"), SizeBucket.SMALL),
                BatchItem.of("b", mapper.readTree("{\"path\":\"/p/dog.jpg\"}"), SizeBucket.SMALL));
        String jobId = queue.enqueue(BatchJob.of("m", "tag", OverwritePolicy.OVERWRITE, items));
        queue.admin().setRestoredDataType(jobId, Photo.class.getName());
        List<Object> received = new CopyOnWriteArrayList<>();
        register(2, Map.of(BatchItemHandler.DATA_TYPE, Photo.class.getName()), new BatchItemHandler<Object>() {
            @Override
            public ItemResult process(Object data, ItemContext context) {
                throw new AssertionError("process called");
            }

            @Override
            public List<ItemResult> processBatch(List<Object> data, List<ItemContext> contexts) {
                received.addAll(data);
                return outputs(contexts);
            }
        });
        start(60_000);

        BatchJob<?> done = awaitEnd(jobId);

        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(received).hasSize(2).allMatch(Photo.class::isInstance);
        assertThat(received).extracting(photo -> ((Photo) photo).path).containsExactly("/p/cat.jpg", "/p/dog.jpg");
    }
}

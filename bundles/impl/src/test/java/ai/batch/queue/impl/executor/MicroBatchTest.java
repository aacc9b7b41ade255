package ai.batch.queue.impl.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
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
import ai.batch.queue.impl.notify.QueueListener;

/** Handlers declaring {@code ai.batch.batchSize}: one {@code processBatch} call for several items of a job. */
class MicroBatchTest extends MicroBatchFixture {

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

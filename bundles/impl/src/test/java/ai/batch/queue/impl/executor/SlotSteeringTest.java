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
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.testing.RecordingLogger;

/** Pause, resume and item timeouts when several slots share a job. */
class SlotSteeringTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final int ITEMS = 40;

    private final CoreBatchQueue queue = new CoreBatchQueue();
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final RecordingLogger log = new RecordingLogger();
    private final JobEnds jobEnds = new JobEnds(queue);
    private final CountDownLatch release = new CountDownLatch(1);
    private QueueExecutor executor;

    @AfterEach
    void stop() {
        release.countDown();
        if (executor != null) {
            executor.close(5_000);
        }
    }

    private void start(long itemTimeoutMs) {
        executor = new QueueExecutor(queue.executor(), handlers,
                QueueSettings.executor(true, 1, itemTimeoutMs, "slot-steering"), log.logger());
    }

    private void slot(String name, long serviceId, BatchItemHandler<Object> handler) {
        handlers.put(HandlerRegistration.of(handler, Map.of(BatchItemHandler.RESOURCE, "m", BatchItemHandler.SLOT,
                name, "service.id", serviceId)));
    }

    private String enqueue(int count, String firstData) {
        List<BatchItem<Object>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(BatchItem.of("i" + i, i == 0 ? firstData : "data" + i, SizeBucket.SMALL));
        }
        return queue.enqueue(BatchJob.of("m", "tag", OverwritePolicy.OVERWRITE, items));
    }

    @Test
    void pauseHoldsEverySlotBetweenItemsAndResumeFinishesTheJob() throws Exception {
        start(60_000);
        BlockingQueue<String> started = new LinkedBlockingQueue<>();
        CountDownLatch firstTwoFinished = new CountDownLatch(2);
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void itemFinished(ItemProgress progress) {
                firstTwoFinished.countDown();
            }
        });
        BatchItemHandler<Object> waitsOnItsFirst = (data, context) -> {
            started.add(context.itemId());
            if (context.itemId().equals("i0") || context.itemId().equals("i1")) {
                release.await();
            }
            return ItemResult.successWithOutput(context.itemId());
        };
        slot("a", 1, waitsOnItsFirst);
        slot("b", 2, waitsOnItsFirst);
        String jobId = enqueue(6, "data0");
        assertThat(List.of(started.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                started.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))).containsExactlyInAnyOrder("i0", "i1");

        queue.pause();
        release.countDown();
        assertThat(firstTwoFinished.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        // each slot checks the pause before taking an item; a started item would be RUNNING or done
        BatchJob<?> paused = queue.getJob(jobId).orElseThrow();
        assertThat(paused.status()).isEqualTo(BatchJobStatus.RUNNING);
        assertThat(paused.items().subList(2, 6)).extracting(BatchItem::status).containsOnly(BatchItemStatus.PENDING);

        queue.resume();
        BatchJob<?> done = jobEnds.await(jobId, DEADLINE);
        assertThat(done.items()).extracting(BatchItem::status).containsOnly(BatchItemStatus.COMPLETED);
        assertThat(started).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void aCallPastItsTimeoutOnOneSlotFailsItsItemAndTheSlotsGoOn() throws Exception {
        start(100);
        List<String> ranOnA = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch bRan = new CountDownLatch(1);
        slot("a", 1, (data, context) -> {
            ranOnA.add(context.itemId());
            if ("stuck".equals(data)) {
                while (true) { // a handler that ignores its interrupt
                    try {
                        release.await();
                        return ItemResult.success();
                    } catch (InterruptedException ignored) {
                        // keeps waiting
                    }
                }
            }
            bRan.await(50, TimeUnit.MILLISECONDS); // holds items back for b, well within the item timeout
            return ItemResult.successWithOutput("a");
        });
        String jobId = enqueue(ITEMS, "stuck");
        // a's next item runs only once its stuck call is abandoned, on a fresh lane; then b comes
        org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> ranOnA.size() >= 2);
        slot("b", 2, (data, context) -> {
            bRan.countDown();
            return ItemResult.successWithOutput("b");
        });

        BatchJob<?> done = jobEnds.await(jobId, DEADLINE);
        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(done.items().get(0).status()).isEqualTo(BatchItemStatus.FAILED);
        assertThat(done.items().get(0).error()).contains("timed out after 100 ms");
        assertThat(done.items().subList(1, ITEMS)).extracting(BatchItem::status).containsOnly(BatchItemStatus.COMPLETED);
        assertThat(done.items().subList(1, ITEMS)).extracting(BatchItem::output)
                .as("slot a went on after its stuck call, on a fresh lane, beside b").contains("a", "b");
        assertThat(log.lines()).anyMatch(line -> line.contains("is abandoned"));
    }

    @Test
    void retryFailedRunsOnlyTheFailedItemsAgainOnTheSlots() throws Exception {
        start(60_000);
        java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        BatchItemHandler<Object> failsSomeOnce = (data, context) -> context.itemId().endsWith("3")
                && failedOnce.add(context.itemId()) ? ItemResult.failure("no luck") : ItemResult.successWithOutput("ok");
        slot("a", 1, failsSomeOnce);
        slot("b", 2, failsSomeOnce);
        String jobId = enqueue(30, "data0");
        BatchJob<?> first = jobEnds.await(jobId, DEADLINE);
        assertThat(first.status()).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(first.items()).filteredOn(item -> item.status() == BatchItemStatus.FAILED).hasSize(3);

        JobEnds again = new JobEnds(queue);
        queue.retryFailed(jobId);
        BatchJob<?> second = again.await(jobId, DEADLINE);
        assertThat(second.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(second.items()).extracting(BatchItem::status).containsOnly(BatchItemStatus.COMPLETED);
    }

    @Test
    void aJobMovedToTheFrontIsTheFirstAFreeSlotTakes() throws Exception {
        start(60_000);
        List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
                started.add(job.resourceKey());
            }
        });
        queue.pause();
        String first = queue.enqueue(BatchJob.of("m2", "tag", OverwritePolicy.OVERWRITE,
                List.of(BatchItem.of("x", "x", SizeBucket.SMALL))));
        String moved = queue.enqueue(BatchJob.of("m3", "tag", OverwritePolicy.OVERWRITE,
                List.of(BatchItem.of("y", "y", SizeBucket.SMALL))));
        handlers.put(HandlerRegistration.of((data, context) -> ItemResult.success(), Map.of(
                BatchItemHandler.RESOURCE, "*", BatchItemHandler.SLOT, "a", "service.id", 1L)));
        queue.moveToFront(moved);
        queue.resume();

        jobEnds.await(first, DEADLINE);
        jobEnds.await(moved, DEADLINE);
        assertThat(started).containsExactly("m3", "m2");
    }
}

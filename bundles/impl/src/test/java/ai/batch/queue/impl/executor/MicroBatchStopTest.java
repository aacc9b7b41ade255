package ai.batch.queue.impl.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.handler.ItemContext;

/** Micro-batch calls stopped part-way: one item or the whole job cancelled, the watchdog's time per call. */
class MicroBatchStopTest extends MicroBatchFixture {

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
}

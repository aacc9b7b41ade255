package ai.batch.queue.impl.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.RetryableException;
import ai.batch.queue.impl.config.QueueSettings;

/**
 * A handler's wish to wait before another attempt (a server's {@code Retry-After}): the queue never tries
 * sooner, whatever its own backoff, and fails at once a wish longer than an item may take.
 */
class RetryAfterTest extends MicroBatchFixture {

    private static final long WISH_MS = 400;
    private final List<Long> callNanos = new CopyOnWriteArrayList<>();

    @Test
    void aRetryableResultWithAWaitIsNotTriedSooner() throws Exception {
        start(QueueSettings.executor(true, 1, 60_000, "retry-after").withRetries(3, 1, 5));
        register(1, Map.of(), (BatchItemHandler<Object>) (data, context) -> {
            callNanos.add(System.nanoTime());
            return callNanos.size() == 1 ? ItemResult.retryableFailure("503: busy", Duration.ofMillis(WISH_MS))
                    : ItemResult.success();
        });

        BatchJob<?> done = awaitEnd(enqueue(1));

        assertThat(done.items().get(0).status()).isEqualTo(BatchItemStatus.COMPLETED);
        assertThat(done.items().get(0).attempts()).isEqualTo(2);
        assertThat(gapMs()).isGreaterThanOrEqualTo(WISH_MS);
    }

    @Test
    void aRetryableExceptionWithAWaitHoldsTheWholeMicroBatchBack() throws Exception {
        start(QueueSettings.executor(true, 1, 60_000, "retry-after").withRetries(3, 1, 5));
        register(4, Map.of(), new BatchItemHandler<Object>() {
            @Override
            public ItemResult process(Object data, ItemContext context) {
                throw new AssertionError("a batch handler");
            }

            @Override
            public List<ItemResult> processBatch(List<Object> data, List<ItemContext> contexts)
                    throws RetryableException {
                callNanos.add(System.nanoTime());
                if (callNanos.size() == 1) {
                    throw new RetryableException("429: slow down", Duration.ofMillis(WISH_MS));
                }
                return outputs(contexts);
            }
        });

        BatchJob<?> done = awaitEnd(enqueue(3));

        assertThat(done.items()).extracting(BatchItem::status).containsOnly(BatchItemStatus.COMPLETED);
        assertThat(done.items()).extracting(BatchItem::attempts).containsOnly(2);
        assertThat(gapMs()).isGreaterThanOrEqualTo(WISH_MS);
    }

    @Test
    void aWaitLongerThanAnItemMayTakeFailsTheItemAtOnce() throws Exception {
        start(QueueSettings.executor(true, 1, 1_000, "retry-after").withRetries(3, 1, 5));
        register(1, Map.of(), (BatchItemHandler<Object>) (data, context) -> {
            callNanos.add(System.nanoTime());
            return ItemResult.retryableFailure("503: come back tomorrow", Duration.ofDays(1));
        });

        BatchJob<?> done = awaitEnd(enqueue(1));

        assertThat(done.items().get(0).status()).isEqualTo(BatchItemStatus.FAILED);
        assertThat(done.items().get(0).error()).isEqualTo("503: come back tomorrow");
        assertThat(callNanos).hasSize(1);
    }

    private long gapMs() {
        assertThat(callNanos).hasSize(2);
        return TimeUnit.NANOSECONDS.toMillis(callNanos.get(1) - callNanos.get(0));
    }
}

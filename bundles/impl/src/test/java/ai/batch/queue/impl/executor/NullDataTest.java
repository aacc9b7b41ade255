package ai.batch.queue.impl.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * An item enqueued with {@code null} data is accepted (the contract allows it, and a queue driven by hand never
 * looks at data) but fails when the executor reaches it, with an error naming it: a job never ends with an item
 * that did not reach a final state, on the one-item path and the micro-batch path alike.
 */
class NullDataTest extends MicroBatchFixture {

    private final List<Object> seen = new CopyOnWriteArrayList<>();

    @Test
    void anItemWithoutDataFailsAndItsNeighboursRun() throws Exception {
        start(60_000);
        register(1, Map.of(), (BatchItemHandler<Object>) (data, context) -> {
            seen.add(data);
            return ItemResult.success();
        });

        assertEndsWithTheNullItemFailed(enqueueWithNullSecond(OverwritePolicy.SKIP));
        assertThat(seen).containsExactly("a", "c");
    }

    @Test
    void anItemWithoutDataFailsInAMicroBatchAndItsNeighboursRun() throws Exception {
        start(60_000);
        register(4, Map.of(), new BatchItemHandler<Object>() {
            @Override
            public ItemResult process(Object data, ItemContext context) {
                throw new AssertionError("a batch handler");
            }

            @Override
            public List<ItemResult> processBatch(List<Object> data, List<ItemContext> contexts) {
                seen.addAll(data);
                calls.add(contexts.stream().map(ItemContext::itemId).toList());
                return outputs(contexts);
            }
        });

        assertEndsWithTheNullItemFailed(enqueueWithNullSecond(OverwritePolicy.OVERWRITE));
        assertThat(calls).containsExactly(List.of("a", "c"));
        assertThat(seen).containsExactly("a", "c");
    }

    private String enqueueWithNullSecond(OverwritePolicy policy) {
        return queue.enqueue(BatchJob.of("m", "tag", policy, List.of(BatchItem.of("a", "a", SizeBucket.SMALL),
                BatchItem.<Object>of("b", null, SizeBucket.SMALL), BatchItem.of("c", "c", SizeBucket.SMALL))));
    }

    private void assertEndsWithTheNullItemFailed(String jobId) throws InterruptedException {
        BatchJob<?> done = awaitEnd(jobId);
        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(done.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.COMPLETED,
                BatchItemStatus.FAILED, BatchItemStatus.COMPLETED);
        assertThat(done.items().get(1).error()).contains("b").contains("no data");
    }
}

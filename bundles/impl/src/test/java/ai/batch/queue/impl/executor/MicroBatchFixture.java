package ai.batch.queue.impl.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.testing.RecordingLogger;

/** What the micro-batch tests share: a queue, an executor on it, a batch handler recording its calls. */
abstract class MicroBatchFixture {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    final CoreBatchQueue queue = new CoreBatchQueue();
    final HandlerRegistry handlers = new HandlerRegistry();
    final RecordingLogger log = new RecordingLogger();
    final JobEnds jobEnds = new JobEnds(queue);
    /** The item ids of each processBatch call, in the order the calls began. */
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    QueueExecutor executor;

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.close(5_000);
        }
    }

    void start(long timeoutMs) {
        start(QueueSettings.executor(true, 1, timeoutMs, "batch-test"));
    }

    void start(QueueSettings settings) {
        executor = new QueueExecutor(queue.executor(), handlers, settings, log.logger());
    }

    /** A batch handler answering each call with {@code answer}, recording the item ids of every call. */
    void register(Object batchSize, Map<String, Object> more,
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

    void register(Object batchSize, Map<String, Object> more, BatchItemHandler<?> handler) {
        Map<String, Object> properties = new java.util.HashMap<>(more);
        properties.put(BatchItemHandler.RESOURCE, "m");
        properties.put("service.id", 1L);
        properties.put(BatchItemHandler.BATCH_SIZE, batchSize);
        handlers.put(HandlerRegistration.of(handler, properties));
    }

    static List<ItemResult> outputs(List<ItemContext> contexts) {
        return contexts.stream().map(context -> ItemResult.successWithOutput("tags of " + context.itemId())).toList();
    }

    String enqueue(int count) {
        return enqueue(count, OverwritePolicy.OVERWRITE);
    }

    String enqueue(int count, OverwritePolicy policy) {
        List<BatchItem<Object>> items = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            items.add(BatchItem.of("i" + i, "data " + i, SizeBucket.SMALL));
        }
        return queue.enqueue(BatchJob.of("m", "tag", policy, items));
    }

    BatchJob<?> awaitEnd(String jobId) throws InterruptedException {
        return jobEnds.await(jobId, DEADLINE);
    }
}

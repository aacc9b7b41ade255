package ai.batch.queue.fleet;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.service.log.Logger;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchItem;
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
import ai.batch.queue.impl.notify.QueueListener;

/** The single-machine queue, in memory, with its executor and a no-op handler: the figure fleet mode is set against. */
final class InMemoryRun {

    private InMemoryRun() {
    }

    /** @return the best items/s of {@code rounds} jobs of {@code items} no-op items, each run to its end */
    static double itemsPerSecond(int items, int rounds) throws InterruptedException {
        CoreBatchQueue queue = new CoreBatchQueue();
        HandlerRegistry handlers = new HandlerRegistry();
        BatchItemHandler<String> noop = (data, context) -> ItemResult.success();
        handlers.put(HandlerRegistration.of(noop, Map.of(BatchItemHandler.RESOURCE, "noop", "service.id", 1L)));
        CountDownLatch[] ended = new CountDownLatch[1];
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
                ended[0].countDown();
            }
        });
        Logger silent = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
        QueueExecutor executor = new QueueExecutor(queue.executor(), handlers, QueueSettings.executor(true, 1, 60_000,
                "memory"), silent);
        List<BatchItem<String>> list = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            list.add(BatchItem.of("i" + i, "x", SizeBucket.SMALL));
        }
        double best = 0;
        try {
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                ended[0] = new CountDownLatch(1);
                long start = System.nanoTime();
                String id = queue.enqueue(BatchJob.of("noop", "tag", OverwritePolicy.OVERWRITE, list));
                if (!ended[0].await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the in-memory job did not end within 2 minutes");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                queue.purge(id);
                if (round > 0) {
                    best = Math.max(best, items / seconds);
                }
            }
        } finally {
            executor.close(10_000);
        }
        return best;
    }
}

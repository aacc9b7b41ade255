package ai.batch.queue.benchmarks.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.benchmarks.support.SilentLogger;
import ai.batch.queue.benchmarks.support.Workload;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.executor.QueueExecutor;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * The queue's executor in plain Java (no OSGi, no events) with one handler, running one job at a time and
 * waiting for its end: the set-up of the executor cases (h), (i) and (k).
 */
final class ExecutorBench {

    private final CoreBatchQueue queue = new CoreBatchQueue();
    private final QueueExecutor executor;
    private final BatchJob<Workload.Payload> template;
    private volatile CountDownLatch ended;
    private long operation;

    /**
     * @param handler the handler, registered for the workload's model
     * @param properties its service properties beyond the model and the service id
     * @param items items per job
     */
    ExecutorBench(BatchItemHandler<?> handler, Map<String, Object> properties, int items) {
        this(handler, List.of(properties), items);
    }

    /**
     * @param handler the handler, registered once per entry of {@code registrations} for the workload's model
     * @param registrations the service properties of each registration beyond the model and the service id
     * @param items items per job
     */
    ExecutorBench(BatchItemHandler<?> handler, List<Map<String, Object>> registrations, int items) {
        HandlerRegistry handlers = new HandlerRegistry();
        long serviceId = 1;
        for (Map<String, Object> properties : registrations) {
            Map<String, Object> all = new HashMap<>(properties);
            all.put(BatchItemHandler.RESOURCE, Workload.job(1).resourceKey());
            all.put("service.id", serviceId++);
            handlers.put(HandlerRegistration.of(handler, all));
        }
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
                ended.countDown();
            }
        });
        executor = new QueueExecutor(queue.executor(), handlers, QueueSettings.executor(true, 1, 60_000, "bench"),
                SilentLogger.create());
        template = Workload.job(items);
    }

    /** Enqueues one job and waits (2 minutes at most) until it ended; then purges it. */
    void runOneJob() throws InterruptedException {
        ended = new CountDownLatch(1);
        String id = "job" + (++operation);
        queue.enqueue(template.withId(id));
        if (!ended.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("job " + id + " did not end within 2 minutes");
        }
        queue.purge(id);
    }

    void close() {
        executor.close(10_000);
    }
}

package ai.batch.queue.benchmarks.core;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.osgi.service.log.Logger;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.benchmarks.support.Workload;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.executor.QueueExecutor;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * Case (h): per-resource item concurrency. A handler declaring {@code ai.batch.concurrency} = {@link #lanes}
 * runs one job of {@link #items} items, in plain Java (the queue's executor, no OSGi, no events). Two kinds of
 * handler: {@code remote} waits 1 ms per item without using the CPU (a model behind a server: scales with lanes
 * beyond the core count), {@code cpu} computes for about 0.1 ms per item (scales up to the 2 cores). The report
 * multiplies operations per second by {@link #items}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LanesBenchmark {

    /** Items per job, i.e. per operation. */
    @Param("400")
    public int items;

    /** The handler's declared concurrency. */
    @Param({"1", "2", "4", "8"})
    public int lanes;

    /** {@code remote} (waits 1 ms) or {@code cpu} (computes about 70 µs). */
    @Param({"remote", "cpu"})
    public String kind;

    private CoreBatchQueue queue;
    private QueueExecutor executor;
    private BatchJob<Workload.Payload> template;
    private volatile CountDownLatch ended;
    private long operation;

    @Setup(Level.Trial)
    public void start() {
        queue = new CoreBatchQueue();
        HandlerRegistry handlers = new HandlerRegistry();
        boolean remote = "remote".equals(kind);
        BatchItemHandler<Object> handler = (data, context) -> {
            if (remote) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            } else {
                Blackhole.consumeCPU(25_000);
            }
            return ItemResult.success();
        };
        handlers.put(HandlerRegistration.of(handler, Map.of(BatchItemHandler.RESOURCE, Workload.job(1).resourceKey(),
                BatchItemHandler.CONCURRENCY, lanes, "service.id", 1L)));
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
                ended.countDown();
            }
        });
        executor = new QueueExecutor(queue.executor(), handlers, QueueSettings.executor(true, 1, 60_000, "bench"), silent());
        template = Workload.job(items);
    }

    @TearDown(Level.Trial)
    public void stop() {
        executor.close(10_000);
    }

    @Benchmark
    public void runOneJob() throws InterruptedException {
        ended = new CountDownLatch(1);
        String id = "lanes" + (++operation);
        queue.enqueue(template.withId(id));
        if (!ended.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("job " + id + " did not end within 2 minutes");
        }
        queue.purge(id);
    }

    private static Logger silent() {
        return (Logger) Proxy.newProxyInstance(LanesBenchmark.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> "bench";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "silent logger";
                    default -> method.getReturnType() == boolean.class ? Boolean.FALSE : null;
                });
    }
}

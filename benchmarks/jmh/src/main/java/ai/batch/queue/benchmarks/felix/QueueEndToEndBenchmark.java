package ai.batch.queue.benchmarks.felix;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.benchmarks.support.Deadline;
import ai.batch.queue.benchmarks.support.Workload;

/**
 * Cases (b) and (c): the queue end to end in an embedded Felix. One operation enqueues one job of {@link #items}
 * items (pre-built, shared payload) through the {@link BatchQueue} service and waits until the job is done:
 * with events on, until its {@code job_completed} event arrived and every {@code item_progress} event was
 * counted; with events off, until the handler saw every item (a latch in the handler) and then {@code getJob}
 * reports COMPLETED (a short polling loop that only covers the job's completion after its last item). The report
 * multiplies operations per second by {@link #items}.
 *
 * <p>Each parameter combination gets its own framework ({@code @Setup(Level.Trial)}), because Felix EventAdmin
 * reads its {@code Timeout} only when it starts and the queue reads {@code persistence.*} only at activation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QueueEndToEndBenchmark extends FelixTrial {

    /** Items per job, i.e. per operation. */
    @Param("10000")
    public int items;

    /** {@code events.enabled}. */
    @Param({"true", "false"})
    public boolean events;

    /** Felix EventAdmin's {@code org.apache.felix.eventadmin.Timeout} in ms (0: no per-handler timeout thread). */
    @Param({"0", "5000"})
    public int eventAdminTimeout;

    /** {@code persistence.enabled}, the journal in a temporary directory: case (c). */
    @Param("false")
    public boolean journal;

    private BatchQueue queue;
    private BatchJob<Workload.Payload> template;
    private long operation;
    private String jobId;

    @Setup(Level.Trial)
    public void startFramework() {
        felix = FelixQueue.start(eventAdminTimeout, events, journal);
        queue = felix.queue();
        template = Workload.job(items);
    }

    @Setup(Level.Invocation)
    public void nextJobId() {
        jobId = "op" + (++operation) + "-";
    }

    @Benchmark
    public void enqueueAndRunOneJob() {
        String id = jobId;
        if (events) {
            felix.runAndAwaitEvents(template.withId(id), items);
        } else {
            long before = felix.handler().calls();
            CountDownLatch handled = felix.handler().expectCalls(items);
            queue.enqueue(template.withId(id));
            Deadline.await(handled, Deadline.OPERATION,
                    () -> "the handler saw " + (felix.handler().calls() - before) + " of " + items + " items");
            // the last item is done; the job is marked completed right after it
            Deadline.until(() -> completed(id), Deadline.OPERATION, () -> "job " + id + " is " + status(id));
        }
    }

    private boolean completed(String id) {
        return queue.getJob(id).map(BatchJob::status).orElse(null) == BatchJobStatus.COMPLETED;
    }

    private String status(String id) {
        Optional<BatchJob<?>> job = queue.getJob(id);
        return job.map(j -> j.status().toString()).orElse("unknown");
    }
}

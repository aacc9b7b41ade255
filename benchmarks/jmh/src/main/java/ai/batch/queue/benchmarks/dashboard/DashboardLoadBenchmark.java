package ai.batch.queue.benchmarks.dashboard;

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
import ai.batch.queue.benchmarks.felix.FelixQueue;
import ai.batch.queue.benchmarks.felix.FelixTrial;
import ai.batch.queue.benchmarks.support.Workload;

/**
 * Case (j): the queue's throughput while the web dashboard watches. Like case (b) with events on and EventAdmin
 * {@code Timeout=0}: one operation enqueues one job of {@link #items} items through the {@link
 * ai.batch.queue.BatchQueue} service in an embedded Felix and waits for its {@code job_completed} event and every
 * {@code item_progress} event. The {@link #viewer} parameter sets who watches:
 * <ul>
 * <li>{@code off}: the dashboard is not installed (the baseline);</li>
 * <li>{@code none}: the dashboard and Felix HTTP run (the dashboard subscribes to {@code ai_batch/*}), nobody has
 * the page open;</li>
 * <li>{@code stream}, {@code stalled}, {@code browser}: one {@link Viewer} of that kind is connected for the whole
 * trial, and at its end must still be connected and (unless stalled on purpose) have received frames during
 * it. The stalled one may instead have been dropped by the dashboard, which closes a stream that took nothing for
 * {@code sse.heartbeatMs}; the run says which of the two happened.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DashboardLoadBenchmark extends FelixTrial {

    /** Items per job, i.e. per operation. */
    @Param("10000")
    public int items;

    /** Who watches: {@code off} (no dashboard), or a {@link Viewer.Kind} in lower case. */
    @Param({"off", "none", "stream", "stalled", "browser"})
    public String viewer;

    private BatchJob<Workload.Payload> template;
    private Viewer watching;
    private long framesAtStart;
    private long operation;
    private String jobId;

    @Setup(Level.Trial)
    public void startFramework() {
        boolean dashboard = !"off".equals(viewer);
        Viewer.Kind kind = dashboard ? Viewer.Kind.of(viewer) : null; // a bad value fails before Felix starts
        felix = FelixQueue.start(0, true, false, dashboard);
        template = Workload.job(items);
        if (dashboard) {
            DashboardPage.await(felix.dashboardUri());
            watching = Viewer.open(kind, felix.dashboardUri());
            framesAtStart = watching == null ? 0 : watching.framesReceived();
        }
    }

    @Setup(Level.Invocation)
    public void nextJobId() {
        jobId = "op" + (++operation) + "-";
    }

    @Benchmark
    public void enqueueAndRunOneJob() {
        felix.runAndAwaitEvents(template.withId(jobId), items);
    }

    @Override
    protected void beforeStop() {
        if (watching != null) {
            try {
                watching.requireLive(framesAtStart);
            } finally {
                watching.close();
            }
        }
    }
}

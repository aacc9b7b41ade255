package ai.batch.queue.benchmarks.jobrunr;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
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

import ai.batch.queue.benchmarks.support.Deadline;

/**
 * Case (d), the comparison: JobRunr on the plain class path with its {@link InMemoryStorageProvider}, one worker
 * (our executor runs a job's items on one thread) and the smallest poll interval JobRunr allows for in-memory
 * storage (200 ms). No dashboard. One operation enqueues {@link #jobs} no-op jobs in one call (JobRunr's batch
 * enqueue from a stream) and waits until all of them ran. The report multiplies operations per second by
 * {@link #jobs} to get jobs per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JobRunrBenchmark {

    /** The smallest poll interval JobRunr accepts with in-memory storage. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    /** Jobs per operation. */
    @Param("10000")
    public int jobs;

    private InMemoryStorageProvider storage;
    private BackgroundJobServer server;
    private JobScheduler scheduler;

    @Setup(Level.Trial)
    public void startJobRunr() {
        storage = new InMemoryStorageProvider();
        var result = JobRunr.configure()
                .useJsonMapper(new JacksonJsonMapper())
                .useStorageProvider(storage)
                .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(1)
                        .andPollInterval(POLL_INTERVAL))
                .initialize();
        scheduler = result.getJobScheduler();
        server = result.getBackgroundJobServer();
        if (result.getDashboardWebServer() != null) {
            throw new IllegalStateException("The JobRunr dashboard must be off");
        }
        Deadline.until(server::isRunning, Deadline.STARTUP, () -> "JobRunr's background job server did not start");
    }

    @Benchmark
    public void enqueueAndRunJobs() {
        long before = NoopJob.runs();
        CountDownLatch done = NoopJob.expect(jobs);
        scheduler.enqueue(IntStream.range(0, jobs).boxed(), index -> NoopJob.run(index));
        Deadline.await(done, Deadline.OPERATION, () -> (NoopJob.runs() - before) + " of " + jobs + " jobs ran");
    }

    /**
     * Waits until JobRunr has recorded every job of the operation as SUCCEEDED, then deletes them, so that the
     * in-memory storage does not grow from one operation to the next.
     */
    @TearDown(Level.Invocation)
    public void deleteSucceededJobs() {
        Deadline.until(() -> storage.countJobs(StateName.SUCCEEDED) >= jobs, Deadline.OPERATION,
                () -> storage.countJobs(StateName.SUCCEEDED) + " of " + jobs + " jobs recorded as succeeded");
        storage.deleteJobsPermanently(StateName.SUCCEEDED, Instant.now().plusSeconds(3600));
    }

    @TearDown(Level.Trial)
    public void stopJobRunr() {
        if (server != null) {
            server.stop();
        }
        JobRunr.destroy();
        if (storage != null) {
            storage.close();
        }
    }
}

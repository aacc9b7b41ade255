package ai.batch.queue.benchmarks.jobrunr;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The job JobRunr runs: does nothing but count. JobRunr calls the static method by name on its worker thread,
 * so the count and the latch are static.
 */
public final class NoopJob {

    private static final AtomicLong RUNS = new AtomicLong();
    private static volatile long target;
    private static volatile CountDownLatch done = new CountDownLatch(0);

    private NoopJob() {
    }

    /**
     * Starts counting for one benchmark operation.
     *
     * @param jobs how many runs to wait for
     * @return the latch that opens after that many runs
     */
    static CountDownLatch expect(long jobs) {
        CountDownLatch latch = new CountDownLatch(1);
        done = latch;
        target = RUNS.get() + jobs;
        return latch;
    }

    /** @return runs so far */
    static long runs() {
        return RUNS.get();
    }

    /**
     * The job body.
     *
     * @param index the job's index in its batch (JobRunr stores it as the job's argument)
     */
    public static void run(Integer index) {
        if (RUNS.incrementAndGet() == target) {
            done.countDown();
        }
    }
}

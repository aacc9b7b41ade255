package ai.batch.queue.benchmarks.jobrunr;

import java.util.concurrent.CountDownLatch;

import ai.batch.queue.benchmarks.support.CallCounter;

/**
 * The job JobRunr runs: does nothing but count. JobRunr calls the static method by name on its worker thread,
 * so the count and the latch are static.
 */
public final class NoopJob {

    private static final CallCounter RUNS = new CallCounter();

    private NoopJob() {
    }

    /**
     * Starts counting for one benchmark operation.
     *
     * @param jobs how many runs to wait for
     * @return the latch that opens after that many runs
     */
    static CountDownLatch expect(long jobs) {
        return RUNS.expect(jobs);
    }

    /** @return runs so far */
    static long runs() {
        return RUNS.calls();
    }

    /**
     * The job body.
     *
     * @param index the job's index in its batch (JobRunr stores it as the job's argument)
     */
    public static void run(Integer index) {
        RUNS.record();
    }
}

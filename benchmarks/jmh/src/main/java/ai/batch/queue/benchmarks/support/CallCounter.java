package ai.batch.queue.benchmarks.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** Counts calls of a no-op workload, with a latch that opens after a given number of further calls. */
public final class CallCounter {

    private final AtomicLong calls = new AtomicLong();
    private volatile CountDownLatch reached = new CountDownLatch(0);
    private volatile long target = Long.MAX_VALUE;

    /** Counts one call. */
    public void record() {
        if (calls.incrementAndGet() == target) {
            reached.countDown();
        }
    }

    /**
     * @param more how many further calls to wait for
     * @return a latch that opens when there have been that many more calls
     */
    public CountDownLatch expect(long more) {
        CountDownLatch latch = new CountDownLatch(1);
        reached = latch;
        target = calls.get() + more;
        return latch;
    }

    /** @return the calls so far */
    public long calls() {
        return calls.get();
    }
}

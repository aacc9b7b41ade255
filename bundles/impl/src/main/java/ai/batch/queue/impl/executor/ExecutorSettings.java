package ai.batch.queue.impl.executor;

/**
 * How the executor runs.
 *
 * @param enabled whether jobs start by themselves
 * @param concurrentJobs how many jobs run at once (1 keeps one model loaded at a time)
 * @param itemTimeoutMs how long one handler call may take before the item FAILS as timed out
 * @param threadNamePrefix prefix of the executor's thread names
 * @param retryMaxAttempts attempts per item for retryable failures (1: no automatic retry)
 * @param retryInitialBackoffMs wait before the second attempt; it doubles for each further one
 * @param retryMaxBackoffMs the longest wait between attempts
 */
public record ExecutorSettings(boolean enabled, int concurrentJobs, long itemTimeoutMs, String threadNamePrefix,
        int retryMaxAttempts, long retryInitialBackoffMs, long retryMaxBackoffMs) {

    /** Settings without automatic retries. */
    public ExecutorSettings(boolean enabled, int concurrentJobs, long itemTimeoutMs, String threadNamePrefix) {
        this(enabled, concurrentJobs, itemTimeoutMs, threadNamePrefix, 1, 1_000, 60_000);
    }

    public ExecutorSettings {
        if (retryMaxAttempts < 1) {
            throw new IllegalArgumentException("retry.maxAttempts must be at least 1, was " + retryMaxAttempts);
        }
        if (retryInitialBackoffMs < 0) {
            throw new IllegalArgumentException("retry.initialBackoffMs must not be negative, was "
                    + retryInitialBackoffMs);
        }
        if (retryMaxBackoffMs < retryInitialBackoffMs) {
            throw new IllegalArgumentException("retry.maxBackoffMs must be at least retry.initialBackoffMs, was "
                    + retryMaxBackoffMs);
        }
        if (concurrentJobs < 1) {
            throw new IllegalArgumentException("executor.concurrentJobs must be at least 1, was " + concurrentJobs);
        }
        if (itemTimeoutMs < 1) {
            throw new IllegalArgumentException("item.timeout.ms must be at least 1, was " + itemTimeoutMs);
        }
        if (threadNamePrefix == null || threadNamePrefix.isBlank()) {
            throw new IllegalArgumentException("executor.threadName must not be blank");
        }
    }
}

package ai.batch.queue.impl.executor;

/**
 * How the executor runs.
 *
 * @param enabled whether jobs start by themselves
 * @param concurrentJobs how many jobs run at once (1 keeps one model loaded at a time)
 * @param itemTimeoutMs how long one handler call may take before the item FAILS as timed out
 * @param threadNamePrefix prefix of the executor's thread names
 */
public record ExecutorSettings(boolean enabled, int concurrentJobs, long itemTimeoutMs, String threadNamePrefix) {

    public ExecutorSettings {
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

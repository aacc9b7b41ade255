package ai.batch.queue.impl.config;

import java.time.Duration;

/**
 * The queue's whole configuration (PID {@code ai.batch.queue}, described by {@link QueueConfig}), read and checked
 * in one place: every value is checked when a {@code QueueSettings} is made, so one that exists is valid. The
 * component makes one at activation and at every change, and hands it to the parts it configures.
 *
 * @param executorEnabled whether jobs start by themselves ({@code executor.enabled})
 * @param concurrentJobs how many jobs run at once ({@code executor.concurrentJobs})
 * @param itemTimeoutMs how long one handler call may take ({@code item.timeout.ms})
 * @param threadNamePrefix prefix of the queue's thread names ({@code executor.threadName})
 * @param retryMaxAttempts attempts per item for failures that may pass ({@code retry.maxAttempts})
 * @param retryInitialBackoffMs wait before the second attempt ({@code retry.initialBackoffMs})
 * @param retryMaxBackoffMs the longest wait between attempts ({@code retry.maxBackoffMs})
 * @param plannerMaxWaitMs the longest a job waits for others' models ({@code planner.maxWaitMs})
 * @param persistenceEnabled whether the queue is journaled ({@code persistence.enabled}, read at start)
 * @param persistenceDirectory the journal's directory, empty for the bundle's data area
 *        ({@code persistence.directory}, read at start)
 * @param compactAfterRecords journal records before a compaction ({@code persistence.compactAfterRecords})
 * @param retentionMaxAgeMs how long finished jobs are kept ({@code retention.maxAgeMs})
 * @param retentionMaxFinishedJobs how many finished jobs are kept ({@code retention.maxFinishedJobs})
 * @param eventsEnabled whether events are delivered to EventAdmin ({@code events.enabled})
 * @param eventsMaxBacklog undelivered notifications before writers wait ({@code events.maxBacklog}, read at
 *        start)
 * @param progressMaxRate item events per second per job, 0 for all ({@code events.progress.maxRate})
 * @param preload whether the next planned model is loaded ahead ({@code models.preload})
 * @param keepWarmMs how long an idle model stays loaded, 0 for ever ({@code models.keepWarmMs})
 * @param releaseOnPause whether pausing unloads the models ({@code models.releaseOnPause})
 * @param lifecycleTimeoutMs the longest a lifecycle call may take ({@code models.lifecycleTimeoutMs})
 * @param stealFactor how many load times of work per holding slot a second copy of a model needs
 *        ({@code slots.stealFactor})
 */
public record QueueSettings(boolean executorEnabled, int concurrentJobs, long itemTimeoutMs, String threadNamePrefix,
        int retryMaxAttempts, long retryInitialBackoffMs, long retryMaxBackoffMs, long plannerMaxWaitMs,
        boolean persistenceEnabled, String persistenceDirectory, long compactAfterRecords, long retentionMaxAgeMs,
        int retentionMaxFinishedJobs, boolean eventsEnabled, int eventsMaxBacklog, double progressMaxRate,
        boolean preload, long keepWarmMs, boolean releaseOnPause, long lifecycleTimeoutMs, double stealFactor) {

    /**
     * The longest a writer waits for room when the backlog of undelivered events is full; after it the queue goes
     * on (and logs it) so that a stuck subscriber can never wedge it. Not configurable.
     */
    public static final long MAX_WAIT_FOR_ROOM_MS = 10_000;

    /** @throws IllegalArgumentException naming the key of the first invalid value */
    public QueueSettings {
        atLeast("executor.concurrentJobs", concurrentJobs, 1);
        atLeast("item.timeout.ms", itemTimeoutMs, 1);
        if (threadNamePrefix == null || threadNamePrefix.isBlank()) {
            throw new IllegalArgumentException("executor.threadName must not be blank");
        }
        atLeast("retry.maxAttempts", retryMaxAttempts, 1);
        if (retryInitialBackoffMs < 0) {
            throw new IllegalArgumentException("retry.initialBackoffMs must not be negative, was "
                    + retryInitialBackoffMs);
        }
        if (retryMaxBackoffMs < retryInitialBackoffMs) {
            throw new IllegalArgumentException("retry.maxBackoffMs must be at least retry.initialBackoffMs, was "
                    + retryMaxBackoffMs);
        }
        atLeast("planner.maxWaitMs", plannerMaxWaitMs, 1);
        persistenceDirectory = persistenceDirectory == null ? "" : persistenceDirectory;
        atLeast("retention.maxAgeMs", retentionMaxAgeMs, 1);
        if (retentionMaxFinishedJobs < 0) {
            throw new IllegalArgumentException("retention.maxFinishedJobs must not be negative, was "
                    + retentionMaxFinishedJobs);
        }
        atLeast("events.maxBacklog", eventsMaxBacklog, 1);
        if (!(progressMaxRate >= 0) || Double.isInfinite(progressMaxRate)) {
            throw new IllegalArgumentException("events.progress.maxRate must be 0 (off) or a positive number of "
                    + "events per second, was " + progressMaxRate);
        }
        atLeast("models.keepWarmMs", keepWarmMs, 0);
        atLeast("models.lifecycleTimeoutMs", lifecycleTimeoutMs, 1);
        if (!(stealFactor >= 0) || Double.isInfinite(stealFactor)) {
            throw new IllegalArgumentException("slots.stealFactor must be 0 or a positive number, was " + stealFactor);
        }
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
    }

    /**
     * Reads a configuration.
     *
     * @throws IllegalArgumentException naming the key of the first invalid value
     */
    public static QueueSettings from(QueueConfig config) {
        return new QueueSettings(config.executor_enabled(), config.executor_concurrentJobs(),
                config.item_timeout_ms(), config.executor_threadName(), config.retry_maxAttempts(),
                config.retry_initialBackoffMs(), config.retry_maxBackoffMs(), config.planner_maxWaitMs(),
                config.persistence_enabled(), config.persistence_directory(),
                config.persistence_compactAfterRecords(), config.retention_maxAgeMs(),
                config.retention_maxFinishedJobs(), config.events_enabled(), config.events_maxBacklog(),
                config.events_progress_maxRate(), config.models_preload(), config.models_keepWarmMs(),
                config.models_releaseOnPause(), config.models_lifecycleTimeoutMs(), config.slots_stealFactor());
    }

    /**
     * Settings for running the executor alone (tests, benchmarks): the given executor values, no automatic
     * retries, and the defaults of {@link QueueConfig} for the rest.
     */
    public static QueueSettings executor(boolean enabled, int concurrentJobs, long itemTimeoutMs,
            String threadNamePrefix) {
        return new QueueSettings(enabled, concurrentJobs, itemTimeoutMs, threadNamePrefix, 1, 1_000, 60_000,
                600_000, false, "", 10_000, 604_800_000L, 1000, true, 16_384, 0, true, 300_000, false, 120_000,
                2.0);
    }

    /** @return these settings with other automatic retries */
    public QueueSettings withRetries(int maxAttempts, long initialBackoffMs, long maxBackoffMs) {
        return new QueueSettings(executorEnabled, concurrentJobs, itemTimeoutMs, threadNamePrefix, maxAttempts,
                initialBackoffMs, maxBackoffMs, plannerMaxWaitMs, persistenceEnabled, persistenceDirectory,
                compactAfterRecords, retentionMaxAgeMs, retentionMaxFinishedJobs, eventsEnabled, eventsMaxBacklog,
                progressMaxRate, preload, keepWarmMs, releaseOnPause, lifecycleTimeoutMs, stealFactor);
    }

    /** @return {@link #plannerMaxWaitMs} as a duration */
    public Duration plannerMaxWait() {
        return Duration.ofMillis(plannerMaxWaitMs);
    }

    /** @return {@link #retentionMaxAgeMs} as a duration */
    public Duration retentionMaxAge() {
        return Duration.ofMillis(retentionMaxAgeMs);
    }
}

package ai.batch.queue.impl.osgi;

import java.time.Duration;

import org.osgi.service.log.Logger;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.QueueAdmin;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * Keeps memory and the journal bounded: whenever a job ends (and at start), finished jobs beyond the configured
 * count or age are removed, the oldest first.
 */
final class Retention implements QueueListener {

    private final QueueAdmin queue;
    private final Logger logger;
    private volatile Duration maxAge;
    private volatile int maxFinished;

    Retention(QueueAdmin queue, QueueSettings settings, Logger logger) {
        this.queue = queue;
        this.logger = logger;
        update(settings);
        apply();
    }

    void update(QueueSettings settings) {
        maxAge = settings.retentionMaxAge();
        maxFinished = settings.retentionMaxFinishedJobs();
    }

    @Override
    public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
        apply();
    }

    private void apply() {
        int removed = queue.applyRetention(maxAge, maxFinished);
        if (removed > 0) {
            logger.debug("Retention removed {} finished job(s)", removed);
        }
    }
}

package ai.batch.queue.impl.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.notify.QueueListener;

/** Test listener: waits for jobs to end and records why jobs went (back) to the queue. */
final class JobEnds implements QueueListener {

    final List<String> queuedCauses = new CopyOnWriteArrayList<>();
    private final Map<String, CountDownLatch> ended = new ConcurrentHashMap<>();
    private final CoreBatchQueue queue;

    JobEnds(CoreBatchQueue queue) {
        this.queue = queue;
        queue.admin().listeners().add(this);
    }

    @Override
    public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
        latch(summary.jobId()).countDown();
    }

    @Override
    public void jobQueued(BatchJob<?> job, QueuedCause cause) {
        queuedCauses.add(job.id() + ":" + cause.wireName());
    }

    private CountDownLatch latch(String jobId) {
        return ended.computeIfAbsent(jobId, id -> new CountDownLatch(1));
    }

    /** @return the ended job, failing the test if it did not end within {@code deadline} */
    BatchJob<?> await(String jobId, Duration deadline) throws InterruptedException {
        assertThat(latch(jobId).await(deadline.toMillis(), TimeUnit.MILLISECONDS))
                .as("job %s ended within %s", jobId, deadline).isTrue();
        return queue.getJob(jobId).orElseThrow();
    }
}

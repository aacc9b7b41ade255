package ai.batch.queue.impl.estimate;

import java.time.Instant;
import java.util.Map;

import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.SizeBucket;

/** What an estimate needs to know about a job. Read under the queue's lock. */
public interface EstimatedJob {

    String id();

    String resourceKey();

    String operation();

    BatchJobStatus status();

    /** @return when the job finished, or {@code null} */
    Instant completedAt();

    /** @return the job's PENDING and RUNNING items of this size */
    int openCount(SizeBucket bucket);

    /** @return when each RUNNING item started, by item index (read only) */
    Map<Integer, Instant> runningSince();

    /** @return the size bucket of the item at this index */
    SizeBucket sizeBucketOf(int index);

    /** @return whether the job's run loaded its model and no item has finished since (its next sample is cold) */
    boolean coldPending();
}

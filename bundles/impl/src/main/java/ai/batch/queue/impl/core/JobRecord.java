package ai.batch.queue.impl.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/**
 * The mutable state of one job, guarded by the queue's lock. Items are stored as immutable {@link BatchItem}
 * values and replaced on every change, so a snapshot is a copy of the array and never changes afterwards.
 */
final class JobRecord implements PlanEntry {

    private static final int BUCKETS = SizeBucket.values().length;

    final String id;
    final String resourceKey;
    final String operation;
    final OverwritePolicy policy;
    /** Position in enqueue order, for listing; never changes. */
    final long listSeq;
    private final BatchItem<Object>[] items;
    private final Map<String, Integer> indexById;
    /** PENDING plus RUNNING items per size bucket, for O(1) estimates. */
    private final int[] openByBucket = new int[BUCKETS];
    private int finalCount;

    BatchJobStatus status = BatchJobStatus.QUEUED;
    Instant createdAt;
    Instant startedAt;
    Instant completedAt;
    boolean reordered;
    String reorderNote;
    /** Position in enqueue order for planning; a retry moves it to the end. */
    long planSeq;
    /** When the job's current wait began (enqueue or retry). */
    Instant waitingSince;
    JobPriority priority;
    /** 0, or the rank of a move to the front. */
    long frontRank;
    /** Why the planner put it where it is (kept when the job starts). */
    PlanReason planReason = PlanReason.ORDER;
    /** Whether this run loaded its model and no item has completed since: the next sample is cold. */
    boolean coldPending;
    /** The class name of item data restored as JSON from the journal, or null. */
    String restoredDataType;
    /** When each RUNNING item started, by index. */
    final Map<Integer, Instant> runningSince = new HashMap<>(2);
    /** Whether the current run already announced its end (job_completed). */
    boolean endAnnounced;
    private BatchJob<Object> snapshot;

    @SuppressWarnings("unchecked")
    JobRecord(String id, BatchJob<?> job, Map<String, Integer> indexById, long seq, Instant now) {
        this.id = id;
        this.resourceKey = job.resourceKey();
        this.operation = job.operation();
        this.policy = job.overwritePolicy();
        this.listSeq = seq;
        this.planSeq = seq;
        this.createdAt = now;
        this.waitingSince = now;
        this.priority = job.priority();
        List<? extends BatchItem<?>> source = job.items();
        this.items = new BatchItem[source.size()];
        this.indexById = indexById;
        for (int i = 0; i < items.length; i++) {
            BatchItem<Object> item = (BatchItem<Object>) source.get(i);
            items[i] = item;
            openByBucket[item.sizeBucket().ordinal()]++;
        }
    }

    @Override
    public String resourceKey() {
        return resourceKey;
    }

    @Override
    public long enqueueSeq() {
        return planSeq;
    }

    @Override
    public Instant waitingSince() {
        return waitingSince;
    }

    @Override
    public JobPriority priority() {
        return priority;
    }

    @Override
    public long frontRank() {
        return frontRank;
    }

    int size() {
        return items.length;
    }

    BatchItem<Object> item(int index) {
        return items[index];
    }

    int indexOf(String itemId) {
        Integer index = itemId == null ? null : indexById.get(itemId);
        if (index == null) {
            throw new NoSuchElementException("Job '" + id + "' has no item '" + itemId + "'");
        }
        return index;
    }

    /** Replaces an item's state, keeping the counters right. */
    BatchItem<Object> setItem(int index, BatchItemStatus status, String error, Long durationMs, String output) {
        BatchItem<Object> before = items[index];
        BatchItem<Object> after = before.withState(status, error, durationMs, output);
        int bucket = before.sizeBucket().ordinal();
        if (before.status().isFinal()) {
            finalCount--;
        } else {
            openByBucket[bucket]--;
        }
        if (status.isFinal()) {
            finalCount++;
        } else {
            openByBucket[bucket]++;
        }
        items[index] = after;
        snapshot = null;
        return after;
    }

    /** Sets how many times a handler was called for an item. */
    void setAttempts(int index, int attempts) {
        items[index] = items[index].withAttempts(attempts);
        snapshot = null;
    }

    /** Call after changing any job-level field. */
    void changed() {
        snapshot = null;
    }

    int finalCount() {
        return finalCount;
    }

    int openCount(SizeBucket bucket) {
        return openByBucket[bucket.ordinal()];
    }

    boolean hasFailedItem() {
        for (BatchItem<Object> item : items) {
            if (item.status() == BatchItemStatus.FAILED) {
                return true;
            }
        }
        return false;
    }

    BatchJob<Object> snapshot() {
        BatchJob<Object> current = snapshot;
        if (current == null) {
            current = BatchJob.restore(id, resourceKey, operation, policy, Arrays.asList(items), status, createdAt,
                    startedAt, completedAt, reordered, reorderNote, priority);
            snapshot = current;
        }
        return current;
    }
}

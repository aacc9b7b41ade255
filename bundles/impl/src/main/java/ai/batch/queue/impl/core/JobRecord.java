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
import ai.batch.queue.impl.estimate.EstimatedJob;
import ai.batch.queue.impl.plan.PlanReason;
import ai.batch.queue.impl.plan.PlannedJob;

/**
 * The state of one job, guarded by the queue's lock. Every change is a named transition that keeps the counters
 * and the cached snapshot right; callers check that a transition is allowed first ({@link Transitions}). Items
 * are stored as immutable {@link BatchItem} values and replaced on every change, so a snapshot is a copy of the
 * array and never changes afterwards.
 */
final class JobRecord implements PlannedJob, EstimatedJob {

    private static final int BUCKETS = SizeBucket.values().length;

    private final String id;
    private final String resourceKey;
    private final String operation;
    private final OverwritePolicy policy;
    private final BatchItem<Object>[] items;
    private final Map<String, Integer> indexById;
    /** PENDING plus RUNNING items per size bucket, for O(1) estimates. */
    private final int[] openByBucket = new int[BUCKETS];
    /** When each RUNNING item started, by index. */
    private final Map<Integer, Instant> runningSince = new HashMap<>(2);
    private int finalCount;
    private BatchJobStatus status = BatchJobStatus.QUEUED;
    private final Instant createdAt;
    private Instant startedAt;
    private Instant completedAt;
    private boolean reordered;
    private String reorderNote;
    /** Position in enqueue order for planning; a retry moves it to the end. */
    private long planSeq;
    /** When the job's current wait began (enqueue or retry). */
    private Instant waitingSince;
    private JobPriority priority;
    /** 0, or the rank of a move to the front. */
    private long frontRank;
    /** Why the planner put it where it is (kept when the job starts). */
    private PlanReason planReason = PlanReason.ORDER;
    /** Whether this run loaded its model and no item has completed since: the next sample is cold. */
    private boolean coldPending;
    /** The class name of item data restored as JSON from the journal, or null. */
    private String restoredDataType;
    /** Whether the current run already announced its end (job_completed). */
    private boolean endAnnounced;
    private BatchJob<Object> snapshot;

    @SuppressWarnings("unchecked")
    JobRecord(String id, BatchJob<?> job, Map<String, Integer> indexById, long seq, Instant now) {
        this.id = id;
        this.resourceKey = job.resourceKey();
        this.operation = job.operation();
        this.policy = job.overwritePolicy();
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

    // ---- what the job is

    @Override
    public String id() {
        return id;
    }

    @Override
    public String resourceKey() {
        return resourceKey;
    }

    @Override
    public String operation() {
        return operation;
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

    @Override
    public boolean isQueued() {
        return status == BatchJobStatus.QUEUED;
    }

    @Override
    public PlanReason planReason() {
        return planReason;
    }

    @Override
    public BatchJobStatus status() {
        return status;
    }

    @Override
    public Instant completedAt() {
        return completedAt;
    }

    boolean wasStarted() {
        return startedAt != null;
    }

    @Override
    public boolean coldPending() {
        return coldPending;
    }

    String restoredDataType() {
        return restoredDataType;
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

    @Override
    public SizeBucket sizeBucketOf(int index) {
        return items[index].sizeBucket();
    }

    int finalCount() {
        return finalCount;
    }

    @Override
    public int openCount(SizeBucket bucket) {
        return openByBucket[bucket.ordinal()];
    }

    /** @return when each RUNNING item started, by index (read-only use) */
    @Override
    public Map<Integer, Instant> runningSince() {
        return runningSince;
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

    // ---- job transitions

    /** QUEUED to RUNNING; {@code cold}: the run loads its model, so its first sample includes the load. */
    void start(Instant now, boolean cold) {
        status = BatchJobStatus.RUNNING;
        startedAt = now;
        endAnnounced = false;
        coldPending = cold;
        snapshot = null;
    }

    /** RUNNING back to QUEUED: RUNNING items become PENDING again. */
    void requeue() {
        for (int i = 0; i < items.length; i++) {
            if (items[i].status() == BatchItemStatus.RUNNING) {
                setItem(i, BatchItemStatus.PENDING, null, null, null);
            }
        }
        runningSince.clear();
        status = BatchJobStatus.QUEUED;
        snapshot = null;
    }

    /** RUNNING to COMPLETED, or COMPLETED_WITH_ERRORS when an item failed. */
    void complete(Instant now) {
        status = hasFailedItem() ? BatchJobStatus.COMPLETED_WITH_ERRORS : BatchJobStatus.COMPLETED;
        completedAt = now;
        snapshot = null;
    }

    /** To CANCELLED: every item not yet final is CANCELLED. */
    void cancel(Instant now) {
        for (int i = 0; i < items.length; i++) {
            BatchItem<Object> item = items[i];
            if (!item.status().isFinal()) {
                setItem(i, BatchItemStatus.CANCELLED, item.error(), item.durationMs(), item.output());
            }
        }
        runningSince.clear();
        status = BatchJobStatus.CANCELLED;
        completedAt = now;
        snapshot = null;
    }

    /** A finished job back to QUEUED with its FAILED items PENDING, each with a fresh budget of attempts. */
    void retryFailed(long seq, Instant now) {
        for (int i = 0; i < items.length; i++) {
            if (items[i].status() == BatchItemStatus.FAILED) {
                setItem(i, BatchItemStatus.PENDING, null, null, null);
                items[i] = items[i].withAttempts(0);
            }
        }
        status = BatchJobStatus.QUEUED;
        completedAt = null;
        planSeq = seq;
        waitingSince = now;
        frontRank = 0;
        snapshot = null;
    }

    /** @return whether this run's end is announced now (once per run, and only for a run that started) */
    boolean announceEnd() {
        if (startedAt == null || endAnnounced) {
            return false;
        }
        endAnnounced = true;
        return true;
    }

    void setPriority(JobPriority value) {
        priority = value;
        snapshot = null;
    }

    void moveToFront(long rank) {
        frontRank = rank;
    }

    void clearFrontRank() {
        frontRank = 0;
    }

    void setRestoredDataType(String typeName) {
        restoredDataType = typeName;
    }

    @Override
    public void setPlanReason(PlanReason reason) {
        planReason = reason;
    }

    @Override
    public boolean reordered() {
        return reordered;
    }

    @Override
    public String reorderNote() {
        return reorderNote;
    }

    @Override
    public void setReordered(boolean value, String note) {
        reordered = value;
        reorderNote = note;
        snapshot = null;
    }

    // ---- item transitions

    /** An item starts: RUNNING since {@code now}, one more attempt. */
    BatchItem<Object> itemStarted(int index, Instant now, String error, Long durationMs, String output) {
        int attempts = items[index].attempts() + 1;
        setItem(index, BatchItemStatus.RUNNING, error, durationMs, output);
        items[index] = items[index].withAttempts(attempts);
        runningSince.put(index, now);
        return items[index];
    }

    /** An item reaches a state other than RUNNING. */
    BatchItem<Object> itemSettled(int index, BatchItemStatus to, String error, Long durationMs, String output) {
        BatchItem<Object> after = setItem(index, to, error, durationMs, output);
        runningSince.remove(index);
        if ((to == BatchItemStatus.COMPLETED || to == BatchItemStatus.FAILED) && durationMs != null) {
            coldPending = false; // the model is loaded now
        }
        return after;
    }

    /** An item is CANCELLED, keeping what it had. */
    BatchItem<Object> itemCancelled(int index) {
        BatchItem<Object> item = items[index];
        return itemSettled(index, BatchItemStatus.CANCELLED, item.error(), item.durationMs(), item.output());
    }

    /** Replaces an item's state, keeping the counters right. */
    private BatchItem<Object> setItem(int index, BatchItemStatus to, String error, Long durationMs, String output) {
        BatchItem<Object> before = items[index];
        BatchItem<Object> after = before.withState(to, error, durationMs, output);
        int bucket = before.sizeBucket().ordinal();
        if (before.status().isFinal()) {
            finalCount--;
        } else {
            openByBucket[bucket]--;
        }
        if (to.isFinal()) {
            finalCount++;
        } else {
            openByBucket[bucket]++;
        }
        items[index] = after;
        snapshot = null;
        return after;
    }
}

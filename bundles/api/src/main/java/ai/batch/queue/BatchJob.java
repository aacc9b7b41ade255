package ai.batch.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A batch job as an immutable snapshot: one model (resource key), one operation, many items.
 *
 * <p>Build a job with {@link #of}; its {@link #id()} is {@code ""} until {@link BatchQueue#enqueue} gives it a
 * UUID, unless the caller chose one with {@link #withId(String)}. Arguments are checked on enqueue, which
 * rejects bad jobs with an exception that names the culprit.
 *
 * <p>JSON: {@code {"id":…,"resourceKey":…,"operation":…,"overwritePolicy":"skip","items":[…],"status":"queued",
 * "createdAt":"2026-11-26T07:21:34.123Z","startedAt":null,"completedAt":null,"reordered":false,
 * "reorderNote":null}}; timestamps are RFC 3339 strings in UTC. A {@code "priority"} key follows only for a job
 * whose priority is not NORMAL.
 *
 * @param <D> the caller's item data type
 */
@JsonPropertyOrder({"id", "resourceKey", "operation", "overwritePolicy", "items", "status", "createdAt",
    "startedAt", "completedAt", "reordered", "reorderNote", "priority"})
public final class BatchJob<D> {

    private final String id;
    private final String resourceKey;
    private final String operation;
    private final OverwritePolicy overwritePolicy;
    private final List<BatchItem<D>> items;
    private final BatchJobStatus status;
    private final Instant createdAt;
    private final Instant startedAt;
    private final Instant completedAt;
    private final boolean reordered;
    private final String reorderNote;
    private final JobPriority priority;

    private BatchJob(String id, String resourceKey, String operation, OverwritePolicy overwritePolicy,
            List<BatchItem<D>> items, BatchJobStatus status, Instant createdAt, Instant startedAt,
            Instant completedAt, boolean reordered, String reorderNote, JobPriority priority) {
        this.id = Objects.requireNonNull(id, "id");
        this.resourceKey = resourceKey;
        this.operation = operation;
        this.overwritePolicy = overwritePolicy;
        this.items = items;
        this.status = status;
        this.createdAt = createdAt;
        this.startedAt = startedAt;
        this.completedAt = completedAt;
        this.reordered = reordered;
        this.reorderNote = reorderNote;
        this.priority = priority == null ? JobPriority.NORMAL : priority;
    }

    @JsonCreator
    private static <D> BatchJob<D> fromJson(@JsonProperty("id") String id,
            @JsonProperty("resourceKey") String resourceKey, @JsonProperty("operation") String operation,
            @JsonProperty("overwritePolicy") OverwritePolicy overwritePolicy,
            @JsonProperty("items") List<BatchItem<D>> items, @JsonProperty("status") BatchJobStatus status,
            @JsonProperty("createdAt") String createdAt, @JsonProperty("startedAt") String startedAt,
            @JsonProperty("completedAt") String completedAt, @JsonProperty("reordered") boolean reordered,
            @JsonProperty("reorderNote") String reorderNote, @JsonProperty("priority") JobPriority priority) {
        return new BatchJob<>(id == null ? "" : id, resourceKey, operation, overwritePolicy, copy(items), status,
                parse(createdAt), parse(startedAt), parse(completedAt), reordered, reorderNote, priority);
    }

    /**
     * A new job, not yet enqueued: status QUEUED, id {@code ""}, no timestamps.
     *
     * @param <D> the item data type
     * @param resourceKey the model that processes the items, e.g. {@code "llava:13b"}; not blank
     * @param operation what to do with each item, e.g. {@code "tag"}; not blank
     * @param policy whether to skip items the handler says are done already
     * @param items the items, in processing order; at least one, with unique non-blank ids
     * @return the job; the item list is copied
     */
    public static <D> BatchJob<D> of(String resourceKey, String operation, OverwritePolicy policy,
            List<BatchItem<D>> items) {
        return new BatchJob<>("", resourceKey, operation, policy, copy(items), BatchJobStatus.QUEUED, null, null,
                null, false, null, JobPriority.NORMAL);
    }

    /**
     * Rebuilds a job in any state, as a queue implementation or a store does. Clients create jobs with
     * {@link #of} instead.
     *
     * @param <D> the item data type
     * @param id the job id ({@code ""} if not enqueued)
     * @param resourceKey the model
     * @param operation the operation
     * @param policy the overwrite policy
     * @param items the items; the list is copied
     * @param status the job status
     * @param createdAt when it was enqueued, or {@code null}
     * @param startedAt when it started running, or {@code null}
     * @param completedAt when it finished, or {@code null}
     * @param reordered whether the planner moved it ahead of a job enqueued earlier
     * @param reorderNote why it was moved, or {@code null}
     * @return the job
     */
    public static <D> BatchJob<D> restore(String id, String resourceKey, String operation, OverwritePolicy policy,
            List<BatchItem<D>> items, BatchJobStatus status, Instant createdAt, Instant startedAt,
            Instant completedAt, boolean reordered, String reorderNote) {
        return restore(id, resourceKey, operation, policy, items, status, createdAt, startedAt, completedAt,
                reordered, reorderNote, JobPriority.NORMAL);
    }

    /**
     * As {@link #restore(String, String, String, OverwritePolicy, List, BatchJobStatus, Instant, Instant, Instant,
     * boolean, String)}, with a priority.
     *
     * @param <D> the item data type
     * @param id the job id
     * @param resourceKey the model
     * @param operation the operation
     * @param policy the overwrite policy
     * @param items the items; the list is copied
     * @param status the job status
     * @param createdAt when it was enqueued, or {@code null}
     * @param startedAt when it started running, or {@code null}
     * @param completedAt when it finished, or {@code null}
     * @param reordered whether the planner moved it ahead of a job enqueued earlier
     * @param reorderNote why it was moved, or {@code null}
     * @param priority its priority; {@code null} means NORMAL
     * @return the job
     * @since 1.1
     */
    public static <D> BatchJob<D> restore(String id, String resourceKey, String operation, OverwritePolicy policy,
            List<BatchItem<D>> items, BatchJobStatus status, Instant createdAt, Instant startedAt,
            Instant completedAt, boolean reordered, String reorderNote, JobPriority priority) {
        return new BatchJob<>(id, resourceKey, operation, policy, copy(items), status, createdAt, startedAt,
                completedAt, reordered, reorderNote, priority);
    }

    /**
     * A copy with another priority (set it before enqueueing; {@link BatchQueue#setPriority} changes a queued
     * job's).
     *
     * @param newPriority the priority; {@code null} means NORMAL
     * @return a copy with that priority
     * @since 1.1
     */
    public BatchJob<D> withPriority(JobPriority newPriority) {
        return new BatchJob<>(id, resourceKey, operation, overwritePolicy, items, status, createdAt, startedAt,
                completedAt, reordered, reorderNote, newPriority);
    }

    /**
     * A copy with a caller-chosen id, kept by {@link BatchQueue#enqueue} (which rejects an id already in use).
     *
     * @param newId the id; blank means "let the queue choose a UUID"
     * @return a copy with that id
     * @throws NullPointerException if {@code newId} is null
     */
    public BatchJob<D> withId(String newId) {
        Objects.requireNonNull(newId, "job id");
        return new BatchJob<>(newId, resourceKey, operation, overwritePolicy, items, status, createdAt, startedAt,
                completedAt, reordered, reorderNote, priority);
    }

    /** @return the job id, {@code ""} before enqueue (never {@code null}) */
    @JsonProperty("id")
    public String id() {
        return id;
    }

    /** @return the model that processes this job's items */
    @JsonProperty("resourceKey")
    public String resourceKey() {
        return resourceKey;
    }

    /** @return the operation applied to each item */
    @JsonProperty("operation")
    public String operation() {
        return operation;
    }

    /** @return whether items the handler reports as done are skipped */
    @JsonProperty("overwritePolicy")
    public OverwritePolicy overwritePolicy() {
        return overwritePolicy;
    }

    /** @return the items in processing order; unmodifiable */
    @JsonProperty("items")
    public List<BatchItem<D>> items() {
        return items;
    }

    /** @return where the job stands */
    @JsonProperty("status")
    public BatchJobStatus status() {
        return status;
    }

    /**
     * When the job was enqueued. A retry keeps it (the planner counts a retried job as enqueued at the retry).
     *
     * @return the enqueue time, or {@code null} before enqueue
     */
    public Instant createdAt() {
        return createdAt;
    }

    /** @return when the job last started running, or {@code null} */
    public Instant startedAt() {
        return startedAt;
    }

    /** @return when the job finished or was cancelled, or {@code null} */
    public Instant completedAt() {
        return completedAt;
    }

    /**
     * Whether the planner runs this job ahead of a job that was enqueued before it (to save a model load).
     * A job that nothing has passed is never flagged. The flag is kept once the job starts.
     *
     * @return {@code true} if moved ahead
     */
    @JsonProperty("reordered")
    public boolean reordered() {
        return reordered;
    }

    /** @return a human-readable reason when {@link #reordered()} is {@code true}, else usually {@code null} */
    @JsonProperty("reorderNote")
    public String reorderNote() {
        return reorderNote;
    }

    /**
     * How urgent the job is; NORMAL unless set with {@link #withPriority} or {@link BatchQueue#setPriority}.
     *
     * @return the priority, never {@code null}
     * @since 1.1
     */
    public JobPriority priority() {
        return priority;
    }

    @JsonProperty("priority")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private JobPriority priorityJson() {
        return priority == JobPriority.NORMAL ? null : priority; // keeps the original JSON shape for most jobs
    }

    @JsonProperty("createdAt")
    private String createdAtJson() {
        return format(createdAt);
    }

    @JsonProperty("startedAt")
    private String startedAtJson() {
        return format(startedAt);
    }

    @JsonProperty("completedAt")
    private String completedAtJson() {
        return format(completedAt);
    }

    private static String format(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private static <D> List<BatchItem<D>> copy(List<BatchItem<D>> items) {
        // Nulls are kept so that enqueue can reject them with a message naming their position.
        return items == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(items));
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof BatchJob<?> that)) {
            return false;
        }
        return id.equals(that.id) && Objects.equals(resourceKey, that.resourceKey)
                && Objects.equals(operation, that.operation) && overwritePolicy == that.overwritePolicy
                && items.equals(that.items) && status == that.status && Objects.equals(createdAt, that.createdAt)
                && Objects.equals(startedAt, that.startedAt) && Objects.equals(completedAt, that.completedAt)
                && reordered == that.reordered && Objects.equals(reorderNote, that.reorderNote)
                && priority == that.priority;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, resourceKey, operation, overwritePolicy, items, status, createdAt, startedAt,
                completedAt, reordered, reorderNote, priority);
    }

    @Override
    public String toString() {
        return "BatchJob[" + id + " " + resourceKey + "/" + operation + " " + status + ", " + items.size()
                + " items" + (reordered ? ", reordered" : "") + "]";
    }
}

package ai.batch.queue.impl.plan;

/**
 * A queued job as the plan keeps it: what a planner reads ({@link PlanEntry}) plus the marks the plan leaves on
 * it (why it is where it is, and whether it runs ahead of an older job).
 */
public interface PlannedJob extends PlanEntry {

    /** @return the job's id */
    String id();

    /** @return the job's operation */
    String operation();

    /** @return whether the job is still QUEUED (a job that left the queue drops out at the next re-plan) */
    boolean isQueued();

    /** @return why the planner put the job where it is */
    PlanReason planReason();

    void setPlanReason(PlanReason reason);

    /** @return whether the job runs ahead of a job enqueued before it */
    boolean reordered();

    /** @return why it runs ahead, or {@code null} */
    String reorderNote();

    void setReordered(boolean reordered, String note);
}

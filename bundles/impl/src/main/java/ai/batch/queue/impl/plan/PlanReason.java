package ai.batch.queue.impl.plan;

/** Why the planner put a job where it is; said when the job runs ahead of one enqueued before it. */
public enum PlanReason {
    /** Moved to the front on request. */
    MOVED_TO_FRONT,
    /** It has waited longer than the maximum wait. */
    WAITED_TOO_LONG,
    /** Its priority is higher. */
    HIGHER_PRIORITY,
    /** Its model is already loaded. */
    MODEL_LOADED,
    /** It shares its model with an earlier job, so the model loads once for both. */
    SAME_MODEL,
    /** Arrival order, or a policy without reasons. */
    ORDER
}

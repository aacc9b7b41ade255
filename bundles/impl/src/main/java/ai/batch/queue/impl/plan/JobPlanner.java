package ai.batch.queue.impl.plan;

import java.time.Instant;
import java.util.List;

/**
 * Decides the order in which queued jobs run. Implementations are stateless and need no locking.
 *
 * <p>Besides the full {@link #plan}, a planner may answer two common cases in constant time: a job appended
 * after the last planned one, and the first planned job starting. Each answer must equal what a full re-plan
 * would give; the defaults always ask for one.
 */
public interface JobPlanner {

    /**
     * Orders the queued jobs.
     *
     * @param <J> the entry type
     * @param queued the queued jobs, in any order
     * @param context the loaded model and the time
     * @return the same jobs in planned run order, each with its reason
     */
    <J extends PlanEntry> Plan<J> plan(List<J> queued, PlanContext context);

    /**
     * Where a newly queued job goes last and nothing else in the plan changes (no other job's reason, group or
     * reorder note), the reason it gets there and the time by which the plan may change by time alone.
     *
     * @param last the job planned last, still QUEUED
     * @param added the job that just became QUEUED, newer than every planned job
     * @param now the current time
     * @return the answer, or {@code null} for a full re-plan
     */
    default Appended appendedLast(PlannedJob last, PlanEntry added, Instant now) {
        return null;
    }

    /**
     * Whether the first planned job starting on the model already loaded leaves the rest of the plan as it is.
     *
     * @param first the job starting
     * @param next the job planned after it, or {@code null}
     * @return {@code true} if no re-plan is needed
     */
    default boolean keepsOrderOnStart(PlannedJob first, PlannedJob next) {
        return false;
    }

    /**
     * A job appended without a re-plan.
     *
     * @param reason the job's plan reason
     * @param due when the plan may change because of this job alone (it reaches the maximum wait), or null
     */
    record Appended(PlanReason reason, Instant due) {
    }
}

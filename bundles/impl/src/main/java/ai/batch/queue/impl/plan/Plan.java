package ai.batch.queue.impl.plan;

import java.time.Instant;
import java.util.List;

/**
 * A planner's answer.
 *
 * @param <J> the entry type
 * @param order the queued jobs in planned run order
 * @param reasons the reason for each job, in the same order
 * @param validUntil when the plan may change by time alone (a job reaching the maximum wait), or {@code null}
 */
public record Plan<J>(List<J> order, List<PlanReason> reasons, Instant validUntil) {

    public Plan {
        if (order.size() != reasons.size()) {
            throw new IllegalArgumentException("one reason per job: " + order.size() + " jobs, " + reasons.size()
                    + " reasons");
        }
    }
}

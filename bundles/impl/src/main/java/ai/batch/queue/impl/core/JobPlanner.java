package ai.batch.queue.impl.core;

import java.util.List;

/** Decides the order in which queued jobs run. Implementations are stateless and need no locking. */
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
}

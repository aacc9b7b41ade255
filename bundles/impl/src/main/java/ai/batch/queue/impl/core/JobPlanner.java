package ai.batch.queue.impl.core;

import java.util.List;

/** Decides the order in which queued jobs run. Implementations are stateless and need no locking. */
public interface JobPlanner {

    /**
     * Orders the queued jobs.
     *
     * @param <J> the entry type
     * @param queued the queued jobs, in any order
     * @param loadedResource the model that is running or ran last, or {@code null}
     * @return the same jobs in planned run order (a new list)
     */
    <J extends PlanEntry> List<J> plan(List<J> queued, String loadedResource);
}

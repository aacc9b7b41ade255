package ai.batch.queue.impl.plan;

import java.time.Instant;

/**
 * What a planner knows besides the queued jobs.
 *
 * @param loadedResource the model that is running or ran last, or {@code null}
 * @param jobsOnLoadedResource how many jobs in a row have started on that model
 * @param now the current time
 */
public record PlanContext(String loadedResource, int jobsOnLoadedResource, Instant now) {
}

package ai.batch.queue.impl.plan;

import java.time.Instant;
import java.util.Set;

/**
 * What a planner knows besides the queued jobs.
 *
 * @param loadedResource the model that is running or ran last, or {@code null}
 * @param jobsOnLoadedResource how many jobs in a row have started on that model
 * @param now the current time
 * @param residentResources other models a runtime reports as loaded (empty without a model lifecycle service):
 *        switching to one of them costs no load
 */
public record PlanContext(String loadedResource, int jobsOnLoadedResource, Instant now,
        Set<String> residentResources) {

    public PlanContext {
        residentResources = residentResources == null ? Set.of() : Set.copyOf(residentResources);
    }

    /** A context without resident models. */
    public PlanContext(String loadedResource, int jobsOnLoadedResource, Instant now) {
        this(loadedResource, jobsOnLoadedResource, now, Set.of());
    }

    /** @return whether a runtime reports this model as loaded (besides the one that ran last) */
    public boolean isResident(String resourceKey) {
        return residentResources.contains(resourceKey);
    }
}

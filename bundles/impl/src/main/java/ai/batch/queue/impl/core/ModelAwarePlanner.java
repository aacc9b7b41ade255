package ai.batch.queue.impl.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups queued jobs by model so each model loads once: the loaded model's group first, then the other groups
 * in the order of their oldest job, and enqueue order inside a group.
 */
public final class ModelAwarePlanner implements JobPlanner {

    @Override
    public <J extends PlanEntry> List<J> plan(List<J> queued, String loadedResource) {
        List<J> byAge = new ArrayList<>(queued);
        byAge.sort(Comparator.comparingLong(PlanEntry::enqueueSeq));
        // Insertion order of the map = order of each group's oldest job.
        Map<String, List<J>> groups = new LinkedHashMap<>();
        for (J job : byAge) {
            groups.computeIfAbsent(job.resourceKey(), key -> new ArrayList<>()).add(job);
        }
        List<J> plan = new ArrayList<>(queued.size());
        List<J> loadedGroup = loadedResource == null ? null : groups.remove(loadedResource);
        if (loadedGroup != null) {
            plan.addAll(loadedGroup);
        }
        groups.values().forEach(plan::addAll);
        return plan;
    }
}

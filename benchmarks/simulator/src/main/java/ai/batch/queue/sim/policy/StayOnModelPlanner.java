package ai.batch.queue.sim.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import ai.batch.queue.impl.plan.JobPlanner;
import ai.batch.queue.impl.plan.Plan;
import ai.batch.queue.impl.plan.PlanContext;
import ai.batch.queue.impl.plan.PlanEntry;
import ai.batch.queue.impl.plan.PlanReason;

/**
 * The seed's later rule: if the loaded model has a queued job and fewer than {@code limit} jobs in a row ran on
 * it, its oldest queued job runs next; otherwise the oldest queued job overall. The whole plan applies the rule
 * job after job, so start-time estimates walk the order the rule would really take.
 */
public final class StayOnModelPlanner implements JobPlanner {

    /** The seed's limit: three jobs in a row. */
    public static final int SEED_LIMIT = 3;

    private final int limit;

    public StayOnModelPlanner(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    public StayOnModelPlanner() {
        this(SEED_LIMIT);
    }

    @Override
    public <J extends PlanEntry> Plan<J> plan(List<J> queued, PlanContext context) {
        List<J> left = new ArrayList<>(queued);
        left.sort(Comparator.comparingLong(PlanEntry::enqueueSeq));
        List<J> order = new ArrayList<>(left.size());
        String loaded = context.loadedResource();
        int inARow = context.jobsOnLoadedResource();
        while (!left.isEmpty()) {
            J next = inARow < limit ? oldestOf(left, loaded) : null;
            if (next == null) {
                next = left.get(0);
            }
            left.remove(next);
            order.add(next);
            inARow = next.resourceKey().equals(loaded) ? inARow + 1 : 1;
            loaded = next.resourceKey();
        }
        return new Plan<>(order, Collections.nCopies(order.size(), PlanReason.ORDER), null);
    }

    private static <J extends PlanEntry> J oldestOf(List<J> byAge, String model) {
        if (model == null) {
            return null;
        }
        for (J job : byAge) {
            if (job.resourceKey().equals(model)) {
                return job;
            }
        }
        return null;
    }
}

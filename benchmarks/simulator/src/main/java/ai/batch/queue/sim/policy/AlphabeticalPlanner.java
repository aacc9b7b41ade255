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
 * The seed's first rule: queued jobs sorted by resource key name, a stable sort over enqueue order. It ignores the
 * loaded model, and a model whose name sorts late waits as long as earlier names keep arriving.
 */
public final class AlphabeticalPlanner implements JobPlanner {

    private static final Comparator<PlanEntry> BY_NAME_THEN_AGE = Comparator.comparing(PlanEntry::resourceKey)
            .thenComparingLong(PlanEntry::enqueueSeq);

    @Override
    public <J extends PlanEntry> Plan<J> plan(List<J> queued, PlanContext context) {
        List<J> order = new ArrayList<>(queued);
        order.sort(BY_NAME_THEN_AGE);
        return new Plan<>(order, Collections.nCopies(order.size(), PlanReason.ORDER), null);
    }
}

package ai.batch.queue.sim.run;

import java.util.List;
import java.util.function.LongConsumer;

import ai.batch.queue.impl.plan.JobPlanner;
import ai.batch.queue.impl.plan.Plan;
import ai.batch.queue.impl.plan.PlanContext;
import ai.batch.queue.impl.plan.PlanEntry;
import ai.batch.queue.impl.plan.PlanReason;

/** Passes plans through unchanged, reporting every job a plan places because it waited too long. */
public final class BoundWatch implements JobPlanner {

    private final JobPlanner delegate;
    private final LongConsumer overdueSeq;

    public BoundWatch(JobPlanner delegate, LongConsumer overdueSeq) {
        this.delegate = delegate;
        this.overdueSeq = overdueSeq;
    }

    @Override
    public <J extends PlanEntry> Plan<J> plan(List<J> queued, PlanContext context) {
        Plan<J> plan = delegate.plan(queued, context);
        for (int i = 0; i < plan.order().size(); i++) {
            if (plan.reasons().get(i) == PlanReason.WAITED_TOO_LONG) {
                overdueSeq.accept(plan.order().get(i).enqueueSeq());
            }
        }
        return plan;
    }
}

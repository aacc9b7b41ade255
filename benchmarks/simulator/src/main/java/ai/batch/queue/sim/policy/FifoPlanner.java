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

/** First in, first out: enqueue order, whatever model is loaded (what Ollama and ComfyUI do). */
public final class FifoPlanner implements JobPlanner {

    @Override
    public <J extends PlanEntry> Plan<J> plan(List<J> queued, PlanContext context) {
        List<J> order = new ArrayList<>(queued);
        order.sort(Comparator.comparingLong(PlanEntry::enqueueSeq));
        return new Plan<>(order, Collections.nCopies(order.size(), PlanReason.ORDER), null);
    }
}

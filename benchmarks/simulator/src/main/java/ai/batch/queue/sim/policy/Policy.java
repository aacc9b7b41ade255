package ai.batch.queue.sim.policy;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import ai.batch.queue.impl.plan.JobPlanner;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

/**
 * A planning policy to compare.
 *
 * @param name the row label in the tables
 * @param planners a fresh planner per run
 * @param boundMs the wait bound the policy promises, or 0 for none
 */
public record Policy(String name, Supplier<JobPlanner> planners, long boundMs) {

    /** @return the four policies of the comparison: the seed's two rules, FIFO and the model-aware planner */
    public static List<Policy> standard(Duration maxWait) {
        return List.of(
                new Policy("seed: alphabetical", AlphabeticalPlanner::new, 0),
                new Policy("seed: stay ≤" + StayOnModelPlanner.SEED_LIMIT + " jobs", StayOnModelPlanner::new, 0),
                new Policy("FIFO", FifoPlanner::new, 0),
                ours(maxWait));
    }

    /** @return the model-aware planner with that maximum wait */
    public static Policy ours(Duration maxWait) {
        return new Policy("ours (maxWait " + maxWait.toSeconds() + " s)", () -> new ModelAwarePlanner(maxWait),
                maxWait.toMillis());
    }

    /** @return whether this is the model-aware planner */
    public boolean isOurs() {
        return boundMs > 0;
    }
}

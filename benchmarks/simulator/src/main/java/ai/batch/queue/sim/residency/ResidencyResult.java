package ai.batch.queue.sim.residency;

/**
 * The outcome of one scheduler on one trace with one runtime capacity.
 *
 * @param scheduler who chose the order
 * @param capacity models the runtime holds at once
 * @param loads model loads the runtime did (preloads included)
 * @param preloads loads started ahead, while another model's job ran
 * @param lowerBound the sum over busy periods of the lower bound on loads for that capacity
 * @param unboundLoads loads in busy periods where the wait bound did not bind
 * @param unboundLowerBound the lower bound of those periods
 * @param boundBinds whether the wait bound bound in some busy period
 * @param makespanMs from time 0 to the end of the last job run
 * @param workMs the sum of every item's processing time, loads excluded (the same for every scheduler)
 * @param referenceMs the lower bound on the makespan: work that arrives at or after an instant cannot run before
 *        it, plus the loads it must wait for (see {@link ResidencySimulation#referenceMs})
 * @param maxWaitMs the longest wait of a job from its enqueue to its first start
 */
public record ResidencyResult(Scheduler scheduler, int capacity, int loads, int preloads, int lowerBound,
        int unboundLoads, int unboundLowerBound, boolean boundBinds, long makespanMs, long workMs, long referenceMs,
        long maxWaitMs) {

    /** @return makespan divided by the reference */
    public double makespanRatio() {
        return referenceMs == 0 ? 1 : (double) makespanMs / referenceMs;
    }
}

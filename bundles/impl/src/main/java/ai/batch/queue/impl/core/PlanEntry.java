package ai.batch.queue.impl.core;

/** What a planner needs to know about a queued job. */
public interface PlanEntry {

    /** @return the model the job needs */
    String resourceKey();

    /** @return the job's place in enqueue order (a retry counts as a new enqueue); smaller is older */
    long enqueueSeq();
}

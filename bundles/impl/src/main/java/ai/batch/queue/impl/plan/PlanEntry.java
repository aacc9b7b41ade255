package ai.batch.queue.impl.plan;

import java.time.Instant;

import ai.batch.queue.JobPriority;

/** What a planner needs to know about a queued job. */
public interface PlanEntry {

    /** @return the model the job needs */
    String resourceKey();

    /** @return the job's place in enqueue order (a retry counts as a new enqueue); smaller is older */
    long enqueueSeq();

    /** @return when the job was enqueued, or retried: the start of its wait */
    Instant waitingSince();

    /** @return the job's priority */
    JobPriority priority();

    /** @return 0, or the rank of an explicit move to the front (a later move has a higher rank) */
    long frontRank();
}

package ai.batch.queue.impl.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import ai.batch.queue.BatchJobStatus;

/**
 * The plan of queued jobs and what it depends on: the loaded model, explicit moves, and the time at which it goes
 * stale (a job reaching the maximum wait). Guarded by the queue's lock.
 */
final class PlanState {

    private JobPlanner planner;
    private List<JobRecord> plan = List.of();
    private String loadedResource;
    private int jobsOnLoadedResource;
    private Instant validUntil;
    private long frontRanks;
    private boolean changed;

    PlanState(JobPlanner planner) {
        this.planner = planner;
    }

    void setPlanner(JobPlanner newPlanner, Instant now) {
        planner = newPlanner;
        replan(null, now);
    }

    List<JobRecord> jobs() {
        return plan;
    }

    String loadedResource() {
        return loadedResource;
    }

    /** Recomputes the plan from the jobs still QUEUED in it plus {@code added} (a job that just became QUEUED). */
    void replan(JobRecord added, Instant now) {
        List<JobRecord> queued = new ArrayList<>(plan.size() + 1);
        for (JobRecord record : plan) {
            if (record.status == BatchJobStatus.QUEUED && record != added) {
                queued.add(record);
            }
        }
        if (added != null) {
            queued.add(added);
        }
        Plan<JobRecord> next = planner.plan(queued, new PlanContext(loadedResource, jobsOnLoadedResource, now));
        for (int i = 0; i < next.order().size(); i++) {
            next.order().get(i).planReason = next.reasons().get(i);
        }
        ReorderNotes.mark(next.order(), loadedResource);
        changed |= !next.order().equals(plan);
        plan = List.copyOf(next.order());
        validUntil = next.validUntil();
    }

    /** Re-plans if time alone has changed the plan since it was made. */
    void refreshIfStale(Instant now) {
        if (validUntil != null && !now.isBefore(validUntil)) {
            replan(null, now);
        }
    }

    /**
     * Records that a job starts (it must have left QUEUED already), re-plans, and says what it switched from.
     *
     * @return the model loaded before, or {@code null}
     */
    String started(JobRecord record, Instant now) {
        String previous = loadedResource;
        jobsOnLoadedResource = record.resourceKey.equals(previous) ? jobsOnLoadedResource + 1 : 1;
        loadedResource = record.resourceKey;
        record.frontRank = 0;
        replan(null, now);
        return previous;
    }

    int jobsOnLoadedResource() {
        return jobsOnLoadedResource;
    }

    /** Sets the loaded model as a checkpoint recorded it. */
    void restoreLoaded(String resourceKey, int jobsInARow, Instant now) {
        loadedResource = resourceKey;
        jobsOnLoadedResource = jobsInARow;
        replan(null, now);
    }

    long nextFrontRank() {
        return ++frontRanks;
    }

    boolean hasQueuedJobFor(String resourceKey) {
        for (JobRecord record : plan) {
            if (record.resourceKey.equals(resourceKey)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the order changed since the last call */
    boolean takeChanged() {
        boolean result = changed;
        changed = false;
        return result;
    }
}

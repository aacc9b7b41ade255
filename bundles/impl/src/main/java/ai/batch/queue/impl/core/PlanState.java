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
    private List<JobRecord> plan = new ArrayList<>();
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

    /** @return the planned jobs, in order (a read-only view, valid until the next change) */
    List<JobRecord> jobs() {
        return java.util.Collections.unmodifiableList(plan);
    }

    String loadedResource() {
        return loadedResource;
    }

    /** Recomputes the plan from the jobs still QUEUED in it plus {@code added} (a job that just became QUEUED). */
    void replan(JobRecord added, Instant now) {
        if (added != null && appendedLast(added, now)) {
            return;
        }
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
        plan = new ArrayList<>(next.order());
        validUntil = next.validUntil();
    }

    /**
     * The constant-time case of {@link #replan} with {@link ModelAwarePlanner}: a job newer than every planned one
     * that joins the last planned group (same model, same priority as the last job) goes last, and nothing else
     * in the plan changes (no group's top priority, oldest job or load state, no reorder note). A stream of jobs
     * for one model is planned this way; every other case re-plans in full.
     *
     * @return whether {@code added} was planned this way
     */
    private boolean appendedLast(JobRecord added, Instant now) {
        if (!(planner instanceof ModelAwarePlanner modelAware) || plan.isEmpty() || added.frontRank > 0) {
            return false;
        }
        JobRecord last = plan.get(plan.size() - 1);
        Instant due = added.waitingSince.plus(modelAware.maxWait());
        if (last.status != BatchJobStatus.QUEUED || !grouped(last) || added.planSeq <= last.planSeq
                || !last.resourceKey.equals(added.resourceKey) || last.priority != added.priority
                || !due.isAfter(now)) {
            return false;
        }
        added.planReason = last.planReason;
        if (added.reordered || added.reorderNote != null) {
            added.reordered = false;
            added.reorderNote = null;
            added.changed();
        }
        plan.add(added);
        changed = true;
        validUntil = validUntil == null || due.isBefore(validUntil) ? due : validUntil;
        return true;
    }

    /**
     * The constant-time case of a start with {@link ModelAwarePlanner}: the first planned job starts on the model
     * already loaded, and the next job has the same model and priority; the rest of the plan stays as it is.
     */
    private boolean removedFirst(JobRecord record, String previous) {
        if (!(planner instanceof ModelAwarePlanner) || plan.isEmpty() || plan.get(0) != record
                || !record.resourceKey.equals(previous) || !grouped(record)) {
            return false;
        }
        if (plan.size() > 1) {
            JobRecord next = plan.get(1);
            if (!next.resourceKey.equals(record.resourceKey) || next.priority != record.priority
                    || next.planReason != record.planReason) {
                return false;
            }
        }
        plan.remove(0);
        changed = true;
        return true;
    }

    private static boolean grouped(JobRecord record) {
        return record.frontRank == 0 && (record.planReason == PlanReason.MODEL_LOADED
                || record.planReason == PlanReason.SAME_MODEL || record.planReason == PlanReason.HIGHER_PRIORITY);
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
        if (!removedFirst(record, previous)) {
            record.frontRank = 0;
            replan(null, now);
        }
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

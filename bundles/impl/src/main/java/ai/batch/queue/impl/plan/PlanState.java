package ai.batch.queue.impl.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The plan of queued jobs and what it depends on: the loaded model, explicit moves, and the time at which it goes
 * stale (a job reaching the maximum wait). It asks its {@link JobPlanner} for the order, taking the planner's
 * constant-time answers where it gives them. Guarded by the queue's lock.
 *
 * @param <J> the job type
 */
public final class PlanState<J extends PlannedJob> {

    private JobPlanner planner;
    private List<J> plan = new ArrayList<>();
    private String loadedResource;
    private Set<String> resident = Set.of();
    private int jobsOnLoadedResource;
    private Instant validUntil;
    private long frontRanks;
    private boolean changed;

    public PlanState(JobPlanner planner) {
        this.planner = planner;
    }

    public void setPlanner(JobPlanner newPlanner, Instant now) {
        planner = newPlanner;
        replan(null, now);
    }

    /** @return the planned jobs, in order (a read-only view, valid until the next change) */
    public List<J> jobs() {
        return Collections.unmodifiableList(plan);
    }

    public String loadedResource() {
        return loadedResource;
    }

    /** @return whether a model costs no load to switch to: it ran last, or a runtime reports it loaded */
    public boolean isLoaded(String resourceKey) {
        return resourceKey.equals(loadedResource) || resident.contains(resourceKey);
    }

    /** @return whether a runtime reports this model as loaded */
    public boolean isResident(String resourceKey) {
        return resident.contains(resourceKey);
    }

    /** @return the models runtimes report as loaded */
    public Set<String> resident() {
        return resident;
    }

    /**
     * Sets the models runtimes report as loaded; re-plans when they changed.
     *
     * @param models the loaded models
     */
    public void setResident(Set<String> models, Instant now) {
        Set<String> next = Set.copyOf(models);
        if (!next.equals(resident)) {
            resident = next;
            replan(null, now);
        }
    }

    public int jobsOnLoadedResource() {
        return jobsOnLoadedResource;
    }

    /** Recomputes the plan from the jobs still QUEUED in it plus {@code added} (a job that just became QUEUED). */
    public void replan(J added, Instant now) {
        if (added != null && appendedLast(added, now)) {
            return;
        }
        List<J> queued = new ArrayList<>(plan.size() + 1);
        for (J job : plan) {
            if (job.isQueued() && job != added) {
                queued.add(job);
            }
        }
        if (added != null) {
            queued.add(added);
        }
        Plan<J> next = planner.plan(queued, new PlanContext(loadedResource, jobsOnLoadedResource, now,
                resident));
        for (int i = 0; i < next.order().size(); i++) {
            next.order().get(i).setPlanReason(next.reasons().get(i));
        }
        ReorderNotes.mark(next.order(), loadedResource);
        changed |= !next.order().equals(plan);
        plan = new ArrayList<>(next.order());
        validUntil = next.validUntil();
    }

    private boolean appendedLast(J added, Instant now) {
        if (plan.isEmpty()) {
            return false;
        }
        JobPlanner.Appended appended = planner.appendedLast(plan.get(plan.size() - 1), added, now);
        if (appended == null) {
            return false;
        }
        added.setPlanReason(appended.reason());
        if (added.reordered() || added.reorderNote() != null) {
            added.setReordered(false, null);
        }
        plan.add(added);
        changed = true;
        Instant due = appended.due();
        validUntil = validUntil == null || due != null && due.isBefore(validUntil) ? due : validUntil;
        return true;
    }

    /** Re-plans if time alone has changed the plan since it was made. */
    public void refreshIfStale(Instant now) {
        if (validUntil != null && !now.isBefore(validUntil)) {
            replan(null, now);
        }
    }

    /**
     * Records that a job starts (it must have left QUEUED already), re-plans, and says what it switched from.
     *
     * @return the model loaded before, or {@code null}
     */
    public String started(J job, Instant now) {
        String previous = loadedResource;
        jobsOnLoadedResource = job.resourceKey().equals(previous) ? jobsOnLoadedResource + 1 : 1;
        loadedResource = job.resourceKey();
        boolean keepsOrder = !plan.isEmpty() && plan.get(0) == job && job.resourceKey().equals(previous)
                && planner.keepsOrderOnStart(job, plan.size() > 1 ? plan.get(1) : null);
        if (keepsOrder) {
            plan.remove(0);
            changed = true;
        } else {
            replan(null, now);
        }
        return previous;
    }

    /** Sets the loaded model as a checkpoint recorded it. */
    public void restoreLoaded(String resourceKey, int jobsInARow, Instant now) {
        loadedResource = resourceKey;
        jobsOnLoadedResource = jobsInARow;
        replan(null, now);
    }

    public long nextFrontRank() {
        return ++frontRanks;
    }

    public boolean hasQueuedJobFor(String resourceKey) {
        for (J job : plan) {
            if (job.resourceKey().equals(resourceKey)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the order changed since the last call */
    public boolean takeChanged() {
        boolean result = changed;
        changed = false;
        return result;
    }
}

package ai.batch.queue.impl.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.batch.queue.JobPriority;

/**
 * Fewest model loads with a bound on waiting. In planned order:
 * <ol>
 * <li>jobs moved to the front, the latest move first;</li>
 * <li>jobs that have waited longer than {@code maxWait}, oldest first: no job waits longer than that (plus the
 * jobs running or overdue before it) however many jobs of other models arrive;</li>
 * <li>the rest grouped by model so each model loads once: groups with a higher top priority first; among equals the
 * group of the model loaded at that point, then the groups of the other models a runtime reports as loaded (see
 * {@link PlanContext#residentResources()}), then the group whose oldest job is oldest. Inside a group, higher
 * priority first, then enqueue order.</li>
 * </ol>
 * With no priorities, moves or overdue jobs this is exactly the contract's order.
 */
public final class ModelAwarePlanner implements JobPlanner {

    /** The default maximum wait: 10 minutes. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(10);

    private static final Comparator<PlanEntry> BY_AGE = Comparator.comparingLong(PlanEntry::enqueueSeq);
    private static final Comparator<PlanEntry> BY_PRIORITY_THEN_AGE = Comparator
            .comparing(PlanEntry::priority, Comparator.reverseOrder()).thenComparing(BY_AGE);

    private final Duration maxWait;

    public ModelAwarePlanner(Duration maxWait) {
        if (maxWait == null || maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("planner.maxWaitMs must be greater than 0, was " + maxWait);
        }
        this.maxWait = maxWait;
    }

    public ModelAwarePlanner() {
        this(DEFAULT_MAX_WAIT);
    }

    public Duration maxWait() {
        return maxWait;
    }

    /**
     * A job newer than every planned one that joins the last planned group (same model, same priority as the
     * last job, not moved, not overdue) goes last, and nothing else changes: no group's top priority, oldest job
     * or load state, and no reorder note. A stream of jobs for one model is planned this way.
     */
    @Override
    public Appended appendedLast(PlannedJob last, PlanEntry added, Instant now) {
        Instant due = added.waitingSince().plus(maxWait);
        boolean joins = added.frontRank() == 0 && last.isQueued() && grouped(last)
                && added.enqueueSeq() > last.enqueueSeq() && last.resourceKey().equals(added.resourceKey())
                && last.priority() == added.priority() && due.isAfter(now);
        return joins ? new Appended(last.planReason(), due) : null;
    }

    /** The next job has the same model, priority and reason: the group simply shrinks by its first job. */
    @Override
    public boolean keepsOrderOnStart(PlannedJob first, PlannedJob next) {
        return grouped(first) && (next == null || next.resourceKey().equals(first.resourceKey())
                && next.priority() == first.priority() && next.planReason() == first.planReason());
    }

    private static boolean grouped(PlannedJob job) {
        return job.frontRank() == 0 && (job.planReason() == PlanReason.MODEL_LOADED
                || job.planReason() == PlanReason.SAME_MODEL || job.planReason() == PlanReason.HIGHER_PRIORITY);
    }

    @Override
    public <J extends PlanEntry> Plan<J> plan(List<J> queued, PlanContext context) {
        List<J> order = new ArrayList<>(queued.size());
        List<PlanReason> reasons = new ArrayList<>(queued.size());
        List<J> moved = new ArrayList<>();
        List<J> overdue = new ArrayList<>();
        List<J> rest = new ArrayList<>();
        Instant validUntil = null;
        for (J job : queued) {
            if (job.frontRank() > 0) {
                moved.add(job);
                continue;
            }
            Instant due = job.waitingSince().plus(maxWait);
            if (!due.isAfter(context.now())) {
                overdue.add(job);
            } else {
                rest.add(job);
                validUntil = validUntil == null || due.isBefore(validUntil) ? due : validUntil;
            }
        }
        moved.sort(Comparator.comparingLong(PlanEntry::frontRank).reversed());
        overdue.sort(BY_AGE);
        append(order, reasons, moved, PlanReason.MOVED_TO_FRONT);
        append(order, reasons, overdue, PlanReason.WAITED_TOO_LONG);
        String loaded = order.isEmpty() ? context.loadedResource() : order.get(order.size() - 1).resourceKey();
        planGroups(rest, loaded, context, order, reasons);
        return new Plan<>(order, reasons, validUntil);
    }

    private static <J extends PlanEntry> void append(List<J> order, List<PlanReason> reasons, List<J> jobs,
            PlanReason reason) {
        for (J job : jobs) {
            order.add(job);
            reasons.add(reason);
        }
    }

    private static <J extends PlanEntry> void planGroups(List<J> rest, String loaded, PlanContext context,
            List<J> order, List<PlanReason> reasons) {
        rest.sort(BY_AGE);
        Map<String, List<J>> groups = new LinkedHashMap<>(); // insertion order = order of each group's oldest job
        for (J job : rest) {
            groups.computeIfAbsent(job.resourceKey(), key -> new ArrayList<>()).add(job);
        }
        List<List<J>> ordered = new ArrayList<>(groups.values());
        List<List<J>> byAge = List.copyOf(ordered);
        ordered.sort(Comparator.<List<J>, JobPriority>comparing(ModelAwarePlanner::topPriority).reversed()
                .thenComparing(group -> !group.get(0).resourceKey().equals(loaded))
                .thenComparing(group -> !context.isResident(group.get(0).resourceKey()))
                .thenComparingInt(byAge::indexOf));
        JobPriority lowestTop = ordered.stream().map(ModelAwarePlanner::topPriority).min(Comparator.naturalOrder())
                .orElse(JobPriority.NORMAL);
        for (List<J> group : ordered) {
            JobPriority top = topPriority(group);
            group.sort(BY_PRIORITY_THEN_AGE);
            String model = group.get(0).resourceKey();
            boolean loadedGroup = model.equals(loaded) || context.isResident(model);
            for (J job : group) {
                order.add(job);
                reasons.add(top.compareTo(lowestTop) > 0 && job.priority() == top ? PlanReason.HIGHER_PRIORITY
                        : loadedGroup ? PlanReason.MODEL_LOADED : PlanReason.SAME_MODEL);
            }
        }
    }

    private static JobPriority topPriority(List<? extends PlanEntry> group) {
        JobPriority top = JobPriority.LOW;
        for (PlanEntry job : group) {
            if (job.priority().compareTo(top) > 0) {
                top = job.priority();
            }
        }
        return top;
    }
}

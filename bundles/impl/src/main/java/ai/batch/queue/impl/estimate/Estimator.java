package ai.batch.queue.impl.estimate;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.ToIntFunction;

import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.plan.PlanState;
import ai.batch.queue.impl.plan.PlannedJob;

/**
 * Turns the duration model into job estimates: remaining time (time already spent on running items taken off, in
 * whole seconds),
 * and for queued jobs the expected start, walking the plan with the model loads between jobs. Assumes one job
 * runs at a time. Called under the queue's lock.
 */
public final class Estimator {

    /** A running item is never expected to need less than this share of its estimate. */
    private static final double MIN_SHARE_LEFT = 0.05;

    private final DurationModel model;
    private volatile ToIntFunction<String> slotsServing = ONE_RUNTIME;

    private static final ToIntFunction<String> ONE_RUNTIME = resourceKey -> 1;

    public Estimator(DurationModel model) {
        this.model = model;
    }

    /**
     * Tells how many slots share a model's jobs, so that a job's remaining time is its work divided among them.
     *
     * @param slots the slots serving a model (1 for a model run by a plain handler), or {@code null} for 1
     */
    public void setSlotsServing(ToIntFunction<String> slots) {
        slotsServing = slots == null ? ONE_RUNTIME : slots;
    }

    /** Remaining work of one job: ms (NaN when unknown), confidence 0..1 and samples behind it. */
    public record Work(double ms, double confidence, long samples) {
        boolean known() {
            return !Double.isNaN(ms);
        }

        static final Work UNKNOWN = new Work(Double.NaN, 0, 0);
    }

    /** @return the time until the job is done: its {@linkplain #work work} shared among the slots serving it */
    public OptionalLong remainingMs(EstimatedJob job, Instant now) {
        Work work = work(job, now);
        return work.known() ? OptionalLong.of(Math.round(shared(job, work.ms()))) : OptionalLong.empty();
    }

    /**
     * @param ms the job's work (its items, and the load of a run that has yet to finish its first item)
     * @return the time it takes on the slots serving its model: the items' part divided among as many of them as
     *         it has open items, the load not (the first item waits for it)
     */
    private double shared(EstimatedJob job, double ms) {
        int slots = slotsServing.applyAsInt(job.resourceKey());
        if (slots <= 1) {
            return ms;
        }
        int open = 0;
        for (SizeBucket bucket : SizeBucket.values()) {
            open += job.openCount(bucket);
        }
        int sharing = Math.min(slots, Math.max(1, open));
        double load = job.status() == BatchJobStatus.RUNNING && job.coldPending()
                ? model.loadMs(job.resourceKey()).orElse(0) : 0;
        return load + (ms - load) / sharing;
    }

    /**
     * Items still to do, plus the model load of a run that has not finished its first item: the work, however
     * many slots share it.
     */
    public Work work(EstimatedJob job, Instant now) {
        double ms = 0;
        double confidence = 0;
        long samples = 0;
        int open = 0;
        for (SizeBucket bucket : SizeBucket.values()) {
            int count = job.openCount(bucket);
            if (count == 0) {
                continue;
            }
            DurationModel.Estimate item = model.itemMs(job.resourceKey(), job.operation(), bucket);
            if (item == null) {
                return Work.UNKNOWN; // the fallback ends at (model, operation), shared by every bucket
            }
            ms += item.ms() * count;
            confidence += item.confidence() * count;
            samples += item.samples();
            open += count;
        }
        if (open == 0) {
            return new Work(0, 1, 0);
        }
        for (Map.Entry<Integer, Instant> running : job.runningSince().entrySet()) {
            SizeBucket bucket = job.sizeBucketOf(running.getKey());
            double expected = model.itemMs(job.resourceKey(), job.operation(), bucket).ms();
            // Whole seconds only: a running item's estimate stays exact until a second has passed.
            double spent = Duration.between(running.getValue(), now).toSeconds() * 1000.0;
            ms -= Math.min(Math.max(0, spent), expected * (1 - MIN_SHARE_LEFT));
        }
        if (job.status() == BatchJobStatus.RUNNING && job.coldPending()) {
            ms += model.loadMs(job.resourceKey()).orElse(0);
        }
        return new Work(ms, confidence / open, samples);
    }

    public <J extends PlannedJob & EstimatedJob> BatchEstimate estimate(EstimatedJob target, PlanState<J> plan,
            Collection<? extends EstimatedJob> running, Instant now) {
        if (target.status().isFinished()) {
            return BatchEstimate.of(target.id(), 0L, null, target.completedAt(), 0, 1);
        }
        Work own = work(target, now);
        if (target.status() == BatchJobStatus.RUNNING) {
            long left = Math.round(shared(target, own.ms()));
            return BatchEstimate.of(target.id(), own.known() ? left : null, null,
                    own.known() ? now.plusMillis(left) : null, own.samples(), own.confidence());
        }
        double ahead = 0;
        boolean startKnown = true;
        for (EstimatedJob job : running) {
            Work work = work(job, now);
            startKnown &= work.known();
            ahead += work.known() ? shared(job, work.ms()) : 0;
        }
        String loaded = plan.loadedResource();
        double ownLoad = 0;
        for (EstimatedJob job : plan.jobs()) {
            boolean free = job.resourceKey().equals(loaded) || plan.isResident(job.resourceKey());
            double load = free ? 0 : model.loadMs(job.resourceKey()).orElse(0);
            loaded = job.resourceKey();
            if (job == target) {
                ownLoad = load;
                break;
            }
            Work work = work(job, now);
            startKnown &= work.known();
            ahead += load + (work.known() ? shared(job, work.ms()) : 0); // a queued job's load is not in its work
        }
        Instant start = startKnown ? now.plusMillis(Math.round(ahead)) : null;
        Long remaining = own.known() ? Math.round(shared(target, own.ms()) + ownLoad) : null;
        Instant finish = start != null && remaining != null ? start.plusMillis(remaining) : null;
        return BatchEstimate.of(target.id(), remaining, start, finish, own.samples(), own.confidence());
    }

    public OptionalDouble loadMs(String resourceKey) {
        return model.loadMs(resourceKey);
    }
}

package ai.batch.queue.impl.notify;

import java.util.AbstractList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import ai.batch.queue.BatchJob;

/**
 * The planned order handed to {@link QueueListener#planChanged}: the job snapshots are taken when a listener
 * first reads the list, not on every change, so a write that changes the plan costs nothing per queued job. A
 * listener that only needs the latest plan skips views that are no longer {@linkplain #isLatest() latest}: a
 * later notification carries the newer plan.
 */
public final class PlanView extends AbstractList<BatchJob<?>> {

    private final BooleanSupplier latest;
    private final Supplier<List<BatchJob<?>>> snapshot;
    private List<BatchJob<?>> jobs;

    public PlanView(BooleanSupplier latest, Supplier<List<BatchJob<?>>> snapshot) {
        this.latest = latest;
        this.snapshot = snapshot;
    }

    /** @return whether the plan has not changed again since this view's change */
    public boolean isLatest() {
        return latest.getAsBoolean();
    }

    private synchronized List<BatchJob<?>> jobs() {
        if (jobs == null) {
            jobs = snapshot.get();
        }
        return jobs;
    }

    @Override
    public BatchJob<?> get(int index) {
        return jobs().get(index);
    }

    @Override
    public int size() {
        return jobs().size();
    }
}

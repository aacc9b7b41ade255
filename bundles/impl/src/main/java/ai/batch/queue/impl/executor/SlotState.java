package ai.batch.queue.impl.executor;

import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import ai.batch.queue.impl.plan.ClaimPolicy;

/**
 * One slot as its worker sees it: the models its handlers serve, the models it holds (the one it ran or is loading
 * last, and those its runtime's lifecycle service reported before that), the job it works on, and its counts. Guarded by the
 * {@link SlotWorkers}' claim lock, but for the item count and the fields its worker alone writes.
 */
public final class SlotState {

    /**
     * What a slot is doing, for the shell and the dashboard.
     *
     * @param id the slot's name
     * @param serves the models its handlers name ({@code "*"}: any)
     * @param model the model it holds, or {@code null} before its first job
     * @param jobId the job it works on, or {@code null} when idle
     * @param loads how many times it switched to a model it did not hold
     * @param items how many items it ran to an outcome
     */
    public record Status(String id, Set<String> serves, String model, String jobId, long loads, long items) {
    }

    final String id;
    final LongAdder itemsDone = new LongAdder();
    volatile Thread thread;
    private Set<String> serves = Set.of();
    private Set<String> reported = Set.of(); // what its runtime's lifecycle last said it holds
    private String model;
    private volatile String jobId;
    private long loads;
    private volatile boolean retired;

    SlotState(String id) {
        this.id = id;
    }

    void serve(Set<String> models) {
        serves = Set.copyOf(models);
    }

    /** What the slot's runtime says it holds (its lifecycle service), until the slot switches models. */
    void reported(Set<String> models) {
        reported = Set.copyOf(models);
    }

    /** The slot took work of a model: a switch to another model counts as a load. */
    void took(String newModel, String job) {
        if (!newModel.equals(model)) {
            if (!reported.contains(newModel)) {
                loads++;
            }
            model = newModel;
            reported = Set.of(); // the runtime may have let the others go: known again at its next report
        }
        jobId = job;
    }

    /** @return the model it ran last, or {@code null} before its first job */
    String lastModel() {
        return model;
    }

    /** The slot left its job. */
    void left() {
        jobId = null;
    }

    void retire() {
        retired = true;
    }

    boolean retired() {
        return retired;
    }

    ClaimPolicy.Slot view() {
        Set<String> holds = new java.util.HashSet<>(reported);
        if (model != null) {
            holds.add(model);
        }
        return new ClaimPolicy.Slot(id, serves, holds);
    }

    Status status() {
        return new Status(id, serves, model, jobId, loads, itemsDone.sum());
    }
}

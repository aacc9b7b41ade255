package ai.batch.queue.sim.residency;

/** Who decides what the runtime serves next, in the residency comparison. */
public enum Scheduler {

    /** (a) Requests sent straight to the runtime in arrival order; it loads models on demand. */
    RUNTIME("(a) runtime alone, FIFO"),
    /** (b) The queue's model-aware plan; the runtime loads on demand, and the queue is not told what it holds. */
    QUEUE("(b) queue"),
    /** (c) As (b), plus the residency rules: the plan knows what is loaded, the next model is preloaded. */
    QUEUE_RESIDENCY("(c) queue + residency");

    private final String label;

    Scheduler(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

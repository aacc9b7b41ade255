package ai.batch.queue.crash;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * The handler for one model: logs the call durably, works for a random short time (stopping early when the item
 * is cancelled or the thread interrupted), then returns the workload's deterministic output for the item's data.
 */
final class SimulatedModel implements BatchItemHandler<Object> {

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final String model;
    private final CallLog calls;
    private final int minWorkMs;
    private final int maxWorkMs;

    SimulatedModel(String model, CallLog calls, int minWorkMs, int maxWorkMs) {
        this.model = model;
        this.calls = calls;
        this.minWorkMs = minWorkMs;
        this.maxWorkMs = maxWorkMs;
    }

    @Override
    public ItemResult process(Object data, ItemContext context) throws Exception {
        calls.called(context.jobId(), context.itemId());
        long workNanos = TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(minWorkMs, maxWorkMs + 1));
        long end = System.nanoTime() + workNanos;
        for (long left = workNanos; left > 0; left = end - System.nanoTime()) {
            if (context.isCancelled()) {
                return ItemResult.failure("cancelled while working");
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while working on " + context.itemId());
            }
            LockSupport.parkNanos(Math.min(left, SLICE_NANOS)); // the simulated work itself
        }
        return ItemResult.successWithOutput(Workload.output(model, String.valueOf(data)));
    }

    @Override
    public String toString() {
        return "SimulatedModel[" + model + "]";
    }
}

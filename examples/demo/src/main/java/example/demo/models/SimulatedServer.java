package example.demo.models;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * A simulated model server for the slots example: a GPU of its own that holds one model at a time, where loading
 * a model takes {@code loadMs} and each item {@code itemMs} (±20 %), in the demo's simulated time. It counts its
 * own loads, as a real server's log would.
 */
public final class SimulatedServer implements BatchItemHandler<String> {

    private final SimulatedGpu gpu = new SimulatedGpu();
    private final long loadMs;
    private final long itemMs;
    private final Set<String> modelsRun = new LinkedHashSet<>();

    /**
     * @param speed the demo's speed (2 runs twice as fast)
     * @param loadMs the time to load a model
     * @param itemMs the time for one item
     */
    public SimulatedServer(double speed, long loadMs, long itemMs) {
        gpu.setSpeed(speed);
        this.loadMs = loadMs;
        this.itemMs = itemMs;
    }

    @Override
    public ItemResult process(String file, ItemContext context) throws InterruptedException {
        if (gpu.load(context.resourceKey(), loadMs, context)) {
            synchronized (modelsRun) {
                modelsRun.add(context.resourceKey());
            }
        }
        gpu.work(Math.round(itemMs * (1 + 0.2 * gpu.noise())), context);
        return ItemResult.successWithOutput(context.resourceKey() + " read " + file);
    }

    /** @return how many times this server loaded a model */
    public int loads() {
        return gpu.loads();
    }

    /** @return the models it loaded, in the order it first loaded them */
    public List<String> modelsRun() {
        synchronized (modelsRun) {
            return List.copyOf(modelsRun);
        }
    }
}

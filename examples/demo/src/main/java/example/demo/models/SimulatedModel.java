package example.demo.models;

import java.util.List;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * A vision model as the demo imagines it: a load time when the GPU switches to it, a processing time per size
 * bucket with ±20% noise, and an occasional failure. Item data is a file name.
 */
abstract class SimulatedModel implements BatchItemHandler<String> {

    private static final List<String> TAGS = List.of("cat", "sunset", "beach", "mountain", "dog", "city", "forest",
            "portrait", "snow", "bicycle", "bridge", "flowers");

    private final SimulatedGpu gpu;
    private final String name;
    private final long loadMs;
    private final long[] itemMs;
    private final double failureRate;

    SimulatedModel(SimulatedGpu gpu, String name, long loadMs, long smallMs, long mediumMs, long largeMs,
            double failureRate) {
        this.gpu = gpu;
        this.name = name;
        this.loadMs = loadMs;
        this.itemMs = new long[] {smallMs, mediumMs, largeMs, mediumMs};
        this.failureRate = failureRate;
    }

    @Override
    public ItemResult process(String file, ItemContext context) throws InterruptedException {
        gpu.load(name, loadMs, context);
        long base = itemMs[bucketIndex(context.sizeBucket())];
        gpu.work(Math.round(base * (1 + 0.2 * gpu.noise())), context);
        if (gpu.chance(gpu.failureRate(failureRate))) {
            return ItemResult.failure(name + " ran out of GPU memory on " + file);
        }
        return ItemResult.successWithOutput(describe(file, context.operation()));
    }

    @Override
    public boolean shouldSkip(String file, String operation) {
        return file.startsWith("done_"); // the demo marks photos that already have results this way
    }

    private static int bucketIndex(SizeBucket bucket) {
        return bucket.ordinal();
    }

    private String describe(String file, String operation) {
        int h = Math.abs(file.hashCode());
        String first = TAGS.get(h % TAGS.size());
        String second = TAGS.get((h / 7) % TAGS.size());
        return "caption".equals(operation) ? "A photo of a " + first + " near a " + second
                : first + ", " + second;
    }
}

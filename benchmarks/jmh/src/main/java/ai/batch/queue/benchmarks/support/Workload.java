package ai.batch.queue.benchmarks.support;

import java.util.ArrayList;
import java.util.List;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/**
 * Builds the jobs the benchmarks enqueue. Every item carries the same small payload object, so the numbers
 * measure the queue and not the data; item ids are built once, before any measurement.
 */
public final class Workload {

    /** The operation every benchmark job runs. */
    public static final String OPERATION = "noop";

    /** The payload shared by every item: a small immutable object, like a reference to an image. */
    public static final Payload PAYLOAD = new Payload("file:///images/sample.jpg", 640, 480);

    private Workload() {
    }

    /** A small item payload. */
    public record Payload(String uri, int width, int height) {
    }

    /**
     * @param prefix the id prefix
     * @param count how many ids
     * @return the ids {@code prefix0 … prefix(count-1)}
     */
    public static String[] ids(String prefix, int count) {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = prefix + i;
        }
        return ids;
    }

    /**
     * @param ids the item ids
     * @return PENDING items with those ids, all sharing {@link #PAYLOAD}
     */
    public static List<BatchItem<Payload>> items(String[] ids) {
        List<BatchItem<Payload>> items = new ArrayList<>(ids.length);
        for (String id : ids) {
            items.add(BatchItem.of(id, PAYLOAD, SizeBucket.UNKNOWN));
        }
        return items;
    }

    /**
     * @param items the job's items
     * @return a job for {@link NoopHandler#RESOURCE} with a blank id (the queue assigns one)
     */
    public static BatchJob<Payload> job(List<BatchItem<Payload>> items) {
        return BatchJob.of(NoopHandler.RESOURCE, OPERATION, OverwritePolicy.OVERWRITE, items);
    }

    /**
     * @param count how many items
     * @return a job of {@code count} items with ids {@code item-0 …}
     */
    public static BatchJob<Payload> job(int count) {
        return job(items(ids("item-", count)));
    }
}

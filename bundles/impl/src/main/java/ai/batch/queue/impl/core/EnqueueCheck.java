package ai.batch.queue.impl.core;

import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Map;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;

/** The argument checks of {@code enqueue}; each failure names the culprit. */
final class EnqueueCheck {

    private EnqueueCheck() {
    }

    /**
     * Checks a job and indexes its items.
     *
     * @return item id to position, for the job's record (built once, here)
     */
    static Map<String, Integer> check(BatchJob<?> job) {
        Objects.requireNonNull(job, "job must not be null");
        requireText(job.resourceKey(), "resourceKey");
        requireText(job.operation(), "operation");
        Objects.requireNonNull(job.overwritePolicy(), "overwritePolicy must not be null");
        List<? extends BatchItem<?>> items = job.items();
        if (items == null || items.isEmpty()) {
            throw new IllegalArgumentException("Job for '" + job.resourceKey() + "'/'" + job.operation()
                    + "' has no items; a job needs at least one");
        }
        Map<String, Integer> ids = new HashMap<>(items.size() * 4 / 3 + 1);
        for (int i = 0; i < items.size(); i++) {
            BatchItem<?> item = items.get(i);
            if (item == null) {
                throw new NullPointerException("Item at index " + i + " is null");
            }
            String id = item.id();
            if (id == null) {
                throw new NullPointerException("Item at index " + i + " has a null id");
            }
            if (id.isBlank()) {
                throw new IllegalArgumentException("Item at index " + i + " has a blank id");
            }
            if (ids.putIfAbsent(id, i) != null) {
                throw new IllegalArgumentException("Duplicate item id '" + id + "' at index " + i);
            }
            if (item.sizeBucket() == null) {
                throw new NullPointerException("Item '" + id + "' has a null sizeBucket");
            }
            if (item.status() != BatchItemStatus.PENDING) {
                throw new IllegalArgumentException("Item '" + id + "' is " + item.status()
                        + "; only PENDING items can be enqueued");
            }
        }
        return ids;
    }

    private static void requireText(String value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}

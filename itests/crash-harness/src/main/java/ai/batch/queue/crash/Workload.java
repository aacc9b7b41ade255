package ai.batch.queue.crash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/**
 * The deterministic workload: the same jobs, items, data and expected outputs in every life, so that any life
 * can re-enqueue what an earlier one may not have, and the test can recompute what the final state must hold.
 *
 * <p>Job {@code k} (from 1) has id {@code crash-job-NN}, runs on model {@code MODELS[(k-1) % 3]} with operation
 * {@value #OPERATION}; the items are spread evenly (the first jobs take the remainder), item {@code i} (from 1)
 * has id {@code item-NNNN}, data {@code "<jobId>/<itemId>"} and size bucket {@code SizeBucket.values()[(i-1) % 4]}.
 * A successful call returns {@link #output(String, String)}. The test module states the same rules on its own.
 */
final class Workload {

    static final List<String> MODELS = List.of("crash-model-a", "crash-model-b", "crash-model-c");
    static final String OPERATION = "caption";

    private Workload() {
    }

    static List<BatchJob<String>> jobs(int jobCount, int totalItems) {
        List<BatchJob<String>> jobs = new ArrayList<>(jobCount);
        for (int j = 0; j < jobCount; j++) {
            String jobId = jobId(j);
            int count = totalItems / jobCount + (j < totalItems % jobCount ? 1 : 0);
            List<BatchItem<String>> items = new ArrayList<>(count);
            SizeBucket[] buckets = SizeBucket.values();
            for (int i = 0; i < count; i++) {
                String itemId = String.format("item-%04d", i + 1);
                items.add(BatchItem.of(itemId, jobId + "/" + itemId, buckets[i % buckets.length]));
            }
            jobs.add(BatchJob.of(MODELS.get(j % MODELS.size()), OPERATION, OverwritePolicy.OVERWRITE, items)
                    .withId(jobId));
        }
        return jobs;
    }

    static List<String> jobIds(int jobCount) {
        List<String> ids = new ArrayList<>(jobCount);
        for (int j = 0; j < jobCount; j++) {
            ids.add(jobId(j));
        }
        return ids;
    }

    private static String jobId(int index) {
        return String.format("crash-job-%02d", index + 1);
    }

    /** What a handler for {@code model} returns for {@code data}: the model and 16 hex digits of a SHA-256. */
    static String output(String model, String data) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((model + "|" + data).getBytes(StandardCharsets.UTF_8));
            return model + ":" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}

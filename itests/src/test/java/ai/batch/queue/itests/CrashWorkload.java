package ai.batch.queue.itests;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What the crash harness enqueues and what its handlers return, stated here on its own (not shared with the
 * harness) so that the final state is checked against the specification rather than against the harness's code:
 * job {@code k} (from 1) is {@code crash-job-NN} on model {@code MODELS[(k-1) % 3]}; the items are spread evenly
 * with the remainder on the first jobs; item {@code i} (from 1) is {@code item-NNNN} with data
 * {@code "<jobId>/<itemId>"}; a handler returns {@code "<model>:" + the first 16 hex digits of
 * SHA-256("<model>|<data>")}.
 */
final class CrashWorkload {

    static final List<String> MODELS = List.of("crash-model-a", "crash-model-b", "crash-model-c");

    record Item(String jobId, String id, String data, String output) {
        String key() {
            return jobId + " " + id;
        }
    }

    record Job(String id, String model, List<Item> items) {
    }

    private CrashWorkload() {
    }

    static List<Job> jobs(int jobCount, int totalItems) {
        List<Job> jobs = new ArrayList<>();
        for (int j = 0; j < jobCount; j++) {
            String jobId = String.format("crash-job-%02d", j + 1);
            String model = MODELS.get(j % MODELS.size());
            int count = totalItems / jobCount + (j < totalItems % jobCount ? 1 : 0);
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String itemId = String.format("item-%04d", i + 1);
                String data = jobId + "/" + itemId;
                items.add(new Item(jobId, itemId, data, output(model, data)));
            }
            jobs.add(new Job(jobId, model, List.copyOf(items)));
        }
        return List.copyOf(jobs);
    }

    private static String output(String model, String data) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((model + "|" + data).getBytes(StandardCharsets.UTF_8));
            return model + ":" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package example.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/** The demo's mixed batch, deliberately enqueued in a bad order: the model changes with every job. */
final class DemoBatch {

    private record Spec(String model, String operation, int photos) {
    }

    private static final List<Spec> JOBS = List.of(
            new Spec("llava:13b", "tag", 10),
            new Spec("moondream", "caption", 8),
            new Spec("llava:13b", "caption", 6),
            new Spec("bakllava", "describe", 6),
            new Spec("moondream", "tag", 8),
            new Spec("llava:13b", "describe", 6));

    private DemoBatch() {
    }

    static List<BatchJob<String>> jobs(double scale) {
        Random random = new Random(7);
        List<BatchJob<String>> jobs = new ArrayList<>();
        int photo = 1;
        for (Spec spec : JOBS) {
            int count = Math.max(1, (int) Math.round(spec.photos * scale));
            List<BatchItem<String>> items = new ArrayList<>();
            for (int i = 0; i < count; i++, photo++) {
                // Two photos of the first job were tagged before: the SKIP policy passes over them.
                String file = String.format(photo == 3 || photo == 7 ? "done_IMG_%04d.jpg" : "IMG_%04d.jpg", photo);
                int width = 400 + random.nextInt(3600);
                int height = 300 + random.nextInt(2700);
                items.add(BatchItem.of(file, file, SizeBucket.fromDimensions(width, height)));
            }
            jobs.add(BatchJob.of(spec.model, spec.operation, OverwritePolicy.SKIP, items));
        }
        return jobs;
    }

    /** How many model loads running the jobs in this order takes. */
    static int loadsInOrder(List<? extends BatchJob<?>> jobs) {
        int loads = 0;
        String loaded = null;
        for (BatchJob<?> job : jobs) {
            if (!job.resourceKey().equals(loaded)) {
                loads++;
                loaded = job.resourceKey();
            }
        }
        return loads;
    }
}

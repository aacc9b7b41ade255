package ai.batch.queue.impl.plan;

import java.util.List;
import java.util.Objects;

/**
 * Flags the jobs of a plan that run ahead of a job enqueued before them, with a note saying why. A job that
 * nothing passed is never flagged.
 */
public final class ReorderNotes {

    private ReorderNotes() {
    }

    public static void mark(List<? extends PlannedJob> plan, String loadedResource) {
        // Walking backwards, 'oldestAfter' is the oldest job planned after the current one.
        PlannedJob oldestAfter = null;
        for (int i = plan.size() - 1; i >= 0; i--) {
            PlannedJob job = plan.get(i);
            boolean ahead = oldestAfter != null && oldestAfter.enqueueSeq() < job.enqueueSeq();
            String note = ahead ? note(job, oldestAfter, loadedResource) : null;
            if (job.reordered() != ahead || !Objects.equals(job.reorderNote(), note)) {
                job.setReordered(ahead, note);
            }
            if (oldestAfter == null || job.enqueueSeq() < oldestAfter.enqueueSeq()) {
                oldestAfter = job;
            }
        }
    }

    private static String note(PlannedJob job, PlannedJob passed, String loadedResource) {
        return "Runs before " + passed.resourceKey() + "/" + passed.operation() + " (job " + passed.id()
                + ", queued earlier): " + reason(job, loadedResource);
    }

    public static String reason(PlannedJob job, String loadedResource) {
        return switch (job.planReason()) {
            case MOVED_TO_FRONT -> "moved to the front on request";
            case WAITED_TOO_LONG -> "it has waited longer than the maximum wait";
            case HIGHER_PRIORITY -> "its priority is " + job.priority().wireName();
            case MODEL_LOADED -> "model '" + job.resourceKey() + "' is already loaded";
            case SAME_MODEL -> job.resourceKey().equals(loadedResource)
                    ? "model '" + job.resourceKey() + "' is already loaded"
                    : "it shares model '" + job.resourceKey() + "' with an earlier job, so the model loads once";
            case ORDER -> "planned order";
        };
    }
}

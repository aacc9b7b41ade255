package ai.batch.queue.impl.shell;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;

/** The text of {@code batch:jobs}, {@code batch:job}, {@code batch:eta} and the progress line of a followed job. */
final class JobViews {

    /** Items {@code batch:job} shows unless asked for all. */
    static final int ITEMS_SHOWN = 20;
    static final String PAUSED = "Queue paused: nothing starts until batch:resume.";
    private static final int BAR = 20;

    private final BatchQueue queue;

    JobViews(BatchQueue queue) {
        this.queue = queue;
    }

    String jobs() {
        List<BatchJob<?>> jobs = queue.listJobs();
        String paused = queue.isPaused() ? PAUSED + "\n" : "";
        if (jobs.isEmpty()) {
            return paused + "No jobs.";
        }
        Map<String, String> ids = JobIds.shortIds(jobs);
        TextTable table = new TextTable("ID", "MODEL", "OPERATION", "STATUS", "DONE", "ETA");
        for (BatchJob<?> job : jobs) {
            table.row(ids.get(job.id()), job.resourceKey(), job.operation(), job.status().wireName(),
                    done(job) + "/" + job.items().size(),
                    job.status().isFinished() ? "-" : clock(queue.estimateRemainingMs(job.id())));
        }
        return (paused + table).stripTrailing();
    }

    String job(BatchJob<?> job, boolean all) {
        StringBuilder out = new StringBuilder();
        out.append("Job ").append(ShellText.visible(job.id())).append(": ").append(ShellText.visible(job.resourceKey()))
                .append(' ').append(ShellText.visible(job.operation()))
                .append(", ").append(job.status().wireName()).append(", policy ")
                .append(job.overwritePolicy().wireName()).append('\n');
        if (job.reordered()) {
            out.append("Reordered: ").append(ShellText.visible(job.reorderNote())).append('\n');
        }
        if (queue.isPaused() && !job.status().isFinished()) {
            out.append(PAUSED).append('\n');
        }
        List<? extends BatchItem<?>> items = job.items();
        int shown = all ? items.size() : Math.min(ITEMS_SHOWN, items.size());
        TextTable table = new TextTable("ITEM", "STATUS", "SIZE", "SECONDS", "RESULT");
        for (BatchItem<?> item : items.subList(0, shown)) {
            table.row(item.id(), item.status().wireName(), item.sizeBucket().wireName(), Times.seconds(item.durationMs()),
                    item.error() != null ? "error: " + item.error() : item.output());
        }
        out.append(table);
        if (shown < items.size()) {
            int left = items.size() - shown;
            out.append("… ").append(left).append(" more item").append(left == 1 ? "" : "s")
                    .append(" not shown (batch:job --all ").append(ShellText.visible(job.id())).append(" shows all)");
        }
        return out.toString().stripTrailing();
    }

    /** The whole id, so that a script can match it with what it enqueued. */
    String eta(BatchJob<?> job) {
        long left = job.items().stream().filter(item -> !item.status().isFinal()).count();
        OptionalLong eta = queue.estimateRemainingMs(job.id());
        String head = "Job " + ShellText.visible(job.id()) + ": " + left + " item(s) left";
        if (eta.isEmpty()) {
            return head + ", no timing data yet for " + ShellText.visible(job.resourceKey()) + " "
                    + ShellText.visible(job.operation()) + ".";
        }
        String start = queue.estimate(job.id()).map(estimate -> estimate.expectedStart() == null ? ""
                : ", starts in about " + Times.clock(Math.max(0,
                        Duration.between(Instant.now(), estimate.expectedStart()).toMillis()))).orElse("");
        return head + ", about " + Times.clock(eta.getAsLong()) + start + ".";
    }

    /** One line of a followed job: status, a bar, items done, failed, and the time left. */
    String progress(BatchJob<?> job, String shortId) {
        int total = job.items().size();
        long done = done(job);
        long failed = job.items().stream().filter(item -> item.status() == BatchItemStatus.FAILED).count();
        int filled = total == 0 ? BAR : (int) (done * BAR / total);
        String status = job.status().wireName() + (queue.isPaused() && !job.status().isFinished() ? " (paused)" : "");
        return ShellText.visible(shortId) + " " + ShellText.visible(job.resourceKey()) + " "
                + ShellText.visible(job.operation()) + "  " + status + "  [" + "#".repeat(filled)
                + "-".repeat(BAR - filled) + "] " + done + "/" + total + (failed > 0 ? ", " + failed + " failed" : "")
                + (job.status().isFinished() ? "" : "  ETA " + clock(queue.estimateRemainingMs(job.id())));
    }

    static long done(BatchJob<?> job) {
        return job.items().stream().filter(item -> item.status().isFinal()).count();
    }

    static String clock(OptionalLong ms) {
        return ms.isEmpty() ? "-" : Times.clock(ms.getAsLong());
    }
}

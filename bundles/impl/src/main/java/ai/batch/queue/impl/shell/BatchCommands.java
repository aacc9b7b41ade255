package ai.batch.queue.impl.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.JobPriority;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/**
 * Gogo shell commands, scope {@code batch}: look at the queue, enqueue, cancel and retry. Job ids may be given as
 * any unique prefix.
 */
@Component(service = BatchCommands.class, property = {
    "osgi.command.scope=batch",
    "osgi.command.function=jobs", "osgi.command.function=job", "osgi.command.function=enqueue",
    "osgi.command.function=cancel", "osgi.command.function=retry", "osgi.command.function=eta",
    "osgi.command.function=pause", "osgi.command.function=resume", "osgi.command.function=front",
    "osgi.command.function=priority", "osgi.command.function=purge"})
public final class BatchCommands {

    private final BatchQueue queue;

    @Activate
    public BatchCommands(@Reference(name = "queue") BatchQueue queue) {
        this.queue = queue;
    }

    /** {@code batch:jobs}: every job with its model, operation, status, progress and ETA. */
    public String jobs() {
        List<BatchJob<?>> jobs = queue.listJobs();
        if (jobs.isEmpty()) {
            return "No jobs.";
        }
        TextTable table = new TextTable("ID", "MODEL", "OPERATION", "STATUS", "DONE", "ETA");
        for (BatchJob<?> job : jobs) {
            long done = job.items().stream().filter(item -> item.status().isFinal()).count();
            table.row(job.id(), job.resourceKey(), job.operation(), job.status().wireName(),
                    done + "/" + job.items().size(),
                    job.status().isFinished() ? "-" : eta(queue.estimateRemainingMs(job.id())));
        }
        return table.toString().stripTrailing();
    }

    /** {@code batch:job <id>}: one job and its items. */
    public String job(String id) {
        BatchJob<?> job = find(id);
        StringBuilder out = new StringBuilder();
        out.append("Job ").append(ShellText.visible(job.id())).append(": ").append(ShellText.visible(job.resourceKey()))
                .append(' ').append(ShellText.visible(job.operation()))
                .append(", ").append(job.status().wireName()).append(", policy ")
                .append(job.overwritePolicy().wireName()).append('\n');
        if (job.reordered()) {
            out.append("Reordered: ").append(ShellText.visible(job.reorderNote())).append('\n');
        }
        TextTable table = new TextTable("ITEM", "STATUS", "SIZE", "MS", "RESULT");
        for (BatchItem<?> item : job.items()) {
            table.row(item.id(), item.status().wireName(), item.sizeBucket().wireName(), item.durationMs(),
                    item.error() != null ? "error: " + item.error() : item.output());
        }
        return out.append(table).toString().stripTrailing();
    }

    /** {@code batch:enqueue <model> <operation> <items…>}: a job whose items are the given texts. */
    public String enqueue(String model, String operation, String... items) {
        if (items == null || items.length == 0) {
            throw new IllegalArgumentException("Usage: batch:enqueue <model> <operation> <item> [<item>…]");
        }
        List<BatchItem<String>> batch = new ArrayList<>();
        for (String item : items) {
            batch.add(BatchItem.of(item, item, SizeBucket.UNKNOWN));
        }
        String id = queue.enqueue(BatchJob.of(model, operation, OverwritePolicy.SKIP, batch));
        return "Enqueued job " + id + " (" + items.length + " item" + (items.length == 1 ? "" : "s") + ")";
    }

    /** {@code batch:cancel <id>}: cancels a job. */
    public String cancel(String id) {
        BatchJob<?> job = find(id);
        queue.cancelJob(job.id());
        return "Cancelled job " + job.id();
    }

    /** {@code batch:cancel <id> <item>}: cancels one item. */
    public String cancel(String id, String itemId) {
        BatchJob<?> job = find(id);
        queue.cancelItem(job.id(), itemId);
        return "Cancelled item " + ShellText.visible(itemId) + " of job " + ShellText.visible(job.id());
    }

    /** {@code batch:retry <id>}: re-queues the failed items of a finished job. */
    public String retry(String id) {
        BatchJob<?> job = find(id);
        long failed = job.items().stream().filter(item -> item.status() == ai.batch.queue.BatchItemStatus.FAILED)
                .count();
        queue.retryFailed(job.id());
        return "Re-queued " + failed + " failed item" + (failed == 1 ? "" : "s") + " of job " + job.id();
    }

    /** {@code batch:eta <id>}: the estimated time left for a job. */
    public String eta(String id) {
        BatchJob<?> job = find(id);
        long left = job.items().stream().filter(item -> !item.status().isFinal()).count();
        OptionalLong eta = queue.estimateRemainingMs(job.id());
        if (eta.isEmpty()) {
            return "Job " + job.id() + ": " + left + " item(s) left, no timing data yet for " + job.resourceKey()
                    + " " + job.operation();
        }
        String start = queue.estimate(job.id()).map(estimate -> estimate.expectedStart() == null ? ""
                : ", starts in about " + eta(OptionalLong.of(Math.max(0, java.time.Duration.between(
                        java.time.Instant.now(), estimate.expectedStart()).toMillis())))).orElse("");
        return "Job " + job.id() + ": " + left + " item(s) left, about " + eta(eta) + start;
    }

    /** {@code batch:pause}: no job starts and the running job stops after its current item. */
    public String pause() {
        queue.pause();
        return "Queue paused: the running item finishes, nothing else starts until batch:resume";
    }

    /** {@code batch:resume}: undoes {@code batch:pause}. */
    public String resume() {
        queue.resume();
        return "Queue resumed";
    }

    /** {@code batch:front <id>}: the queued job runs next. */
    public String front(String id) {
        BatchJob<?> job = find(id);
        queue.moveToFront(job.id());
        return "Job " + job.id() + " runs next";
    }

    /** {@code batch:priority <id> <low|normal|high>}: changes a queued job's priority. */
    public String priority(String id, String priority) {
        BatchJob<?> job = find(id);
        JobPriority level;
        try {
            level = JobPriority.fromWireName(priority == null ? "" : priority.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Priority must be low, normal or high, not '" + priority + "'");
        }
        queue.setPriority(job.id(), level);
        return "Job " + job.id() + " has priority " + level.wireName();
    }

    /** {@code batch:purge <id>}: removes a finished job; {@code batch:purge --finished}: every finished job. */
    public String purge(String id) {
        if ("--finished".equals(id)) {
            int removed = queue.purgeFinished(java.time.Instant.MAX);
            return "Removed " + removed + " finished job" + (removed == 1 ? "" : "s");
        }
        BatchJob<?> job = find(id);
        queue.purge(job.id());
        return "Removed job " + job.id();
    }

    private BatchJob<?> find(String idOrPrefix) {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            throw new IllegalArgumentException("A job id (or a unique prefix of one) is needed");
        }
        return queue.getJob(idOrPrefix).orElseGet(() -> {
            List<BatchJob<?>> matches = queue.listJobs().stream().filter(j -> j.id().startsWith(idOrPrefix))
                    .toList();
            if (matches.isEmpty()) {
                throw new NoSuchElementException("No job with id '" + idOrPrefix + "' (see batch:jobs)");
            }
            if (matches.size() > 1) {
                throw new IllegalArgumentException("'" + idOrPrefix + "' matches " + matches.size()
                        + " jobs; give more of the id");
            }
            return matches.get(0);
        });
    }

    static String eta(OptionalLong ms) {
        if (ms.isEmpty()) {
            return "-";
        }
        long value = ms.getAsLong();
        if (value < 1_000) {
            return value + " ms";
        }
        long seconds = Math.round(value / 1_000.0);
        return seconds < 60 ? seconds + " s" : (seconds / 60) + " min " + (seconds % 60) + " s";
    }
}

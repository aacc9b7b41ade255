package ai.batch.queue.impl.shell;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.JobPriority;

/**
 * Gogo shell commands, scope {@code batch}, that change jobs and the queue: {@code cancel}, {@code retry},
 * {@code pause}, {@code resume}, {@code front}, {@code priority}, {@code purge}. A command the queue would refuse
 * is refused here first, in a sentence that says why (see {@link CommandFailure}).
 */
@Component(service = ControlCommands.class, property = {
    "osgi.command.scope=batch",
    "osgi.command.function=cancel", "osgi.command.function=retry", "osgi.command.function=pause",
    "osgi.command.function=resume", "osgi.command.function=front", "osgi.command.function=priority",
    "osgi.command.function=purge"})
public final class ControlCommands {

    private static final String ID = "job id, or at least 4 characters of it";

    private final BatchQueue queue;

    @Activate
    public ControlCommands(@Reference(name = "queue", policyOption = ReferencePolicyOption.GREEDY) BatchQueue queue) {
        this.queue = queue;
    }

    @Descriptor("shows how to use batch:cancel")
    public String cancel() {
        return "Usage: batch:cancel <job id or prefix> [<item id>]";
    }

    @Descriptor("cancels a queued or running job: its pending and running items stop")
    public String cancel(@Descriptor(ID) String id) {
        BatchJob<?> job = JobIds.find(queue, id);
        String shortId = JobIds.shortId(queue, job.id());
        if (job.status() == BatchJobStatus.COMPLETED || job.status() == BatchJobStatus.COMPLETED_WITH_ERRORS) {
            throw CommandFailure.refuse("Job " + ShellText.visible(shortId) + " has already " + ended(job)
                    + ": there is nothing left to cancel.");
        }
        CommandFailure.guard("cancel job " + ShellText.visible(shortId), () -> {
            queue.cancelJob(job.id());
            return null;
        });
        return "Cancelled job " + ShellText.visible(shortId) + ".";
    }

    @Descriptor("cancels one pending or running item of a job")
    public String cancel(@Descriptor(ID) String id, @Descriptor("the item's id (see batch:job)") String itemId) {
        BatchJob<?> job = JobIds.find(queue, id);
        String shortId = ShellText.visible(JobIds.shortId(queue, job.id()));
        Optional<? extends BatchItem<?>> item = job.items().stream().filter(i -> i.id().equals(itemId)).findFirst();
        if (item.isEmpty()) {
            throw CommandFailure.refuse("Job " + shortId + " has no item '" + ShellText.visible(itemId)
                    + "' (see batch:job " + shortId + ").");
        }
        BatchItemStatus status = item.get().status();
        if (status.isFinal() && status != BatchItemStatus.CANCELLED) {
            throw CommandFailure.refuse("Item '" + ShellText.visible(itemId) + "' of job " + shortId
                    + " has already finished (" + status.wireName() + "): there is nothing left to cancel.");
        }
        CommandFailure.guard("cancel item '" + ShellText.visible(itemId) + "' of job " + shortId, () -> {
            queue.cancelItem(job.id(), itemId);
            return null;
        });
        return "Cancelled item " + ShellText.visible(itemId) + " of job " + shortId + ".";
    }

    @Descriptor("shows how to use batch:retry")
    public String retry() {
        return "Usage: batch:retry <job id or prefix>";
    }

    @Descriptor("queues the failed items of a finished job again")
    public String retry(@Descriptor(ID) String id) {
        BatchJob<?> job = JobIds.find(queue, id);
        String shortId = ShellText.visible(JobIds.shortId(queue, job.id()));
        if (!job.status().isFinished()) {
            throw CommandFailure.refuse("Job " + shortId + " is still " + job.status().wireName()
                    + ": only a finished job's failed items can be retried.");
        }
        long failed = job.items().stream().filter(item -> item.status() == BatchItemStatus.FAILED).count();
        if (failed == 0) {
            throw CommandFailure.refuse("Job " + shortId + " has no failed items to retry.");
        }
        CommandFailure.guard("retry job " + shortId, () -> {
            queue.retryFailed(job.id());
            return null;
        });
        return "Re-queued " + failed + " failed item" + (failed == 1 ? "" : "s") + " of job " + shortId + ".";
    }

    @Descriptor("pauses the queue: the running item finishes, nothing else starts until batch:resume")
    public String pause() {
        queue.pause();
        return "Queue paused: the running item finishes, nothing else starts until batch:resume.";
    }

    @Descriptor("resumes a paused queue")
    public String resume() {
        queue.resume();
        return "Queue resumed.";
    }

    @Descriptor("shows how to use batch:front")
    public String front() {
        return "Usage: batch:front <job id or prefix>";
    }

    @Descriptor("makes a queued job run next")
    public String front(@Descriptor(ID) String id) {
        BatchJob<?> job = queued(id, "moved to the front");
        String shortId = ShellText.visible(JobIds.shortId(queue, job.id()));
        CommandFailure.guard("move job " + shortId + " to the front", () -> {
            queue.moveToFront(job.id());
            return null;
        });
        return "Job " + shortId + " runs next.";
    }

    @Descriptor("shows how to use batch:priority")
    public String priority() {
        return "Usage: batch:priority <job id or prefix> <low|normal|high>";
    }

    @Descriptor("changes a queued job's priority")
    public String priority(@Descriptor(ID) String id, @Descriptor("low, normal or high") String priority) {
        JobPriority level;
        try {
            level = JobPriority.fromWireName(priority == null ? "" : priority.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CommandFailure.refuse("Priority must be low, normal or high, not '" + ShellText.visible(priority)
                    + "'.");
        }
        BatchJob<?> job = queued(id, "given another priority");
        String shortId = ShellText.visible(JobIds.shortId(queue, job.id()));
        CommandFailure.guard("change the priority of job " + shortId, () -> {
            queue.setPriority(job.id(), level);
            return null;
        });
        return "Job " + shortId + " has priority " + level.wireName() + ".";
    }

    @Descriptor("shows how to use batch:purge")
    public String purge() {
        return "Usage: batch:purge <job id or prefix> | batch:purge --finished";
    }

    @Descriptor("removes a finished job for good; --finished removes every finished job")
    public String purge(@Descriptor("job id, or at least 4 characters of it; or --finished") String id) {
        if ("--finished".equals(id)) {
            int removed = queue.purgeFinished(Instant.MAX);
            return "Removed " + removed + " finished job" + (removed == 1 ? "" : "s") + ".";
        }
        BatchJob<?> job = JobIds.find(queue, id);
        String shortId = ShellText.visible(JobIds.shortId(queue, job.id()));
        if (!job.status().isFinished()) {
            throw CommandFailure.refuse("Job " + shortId + " is " + job.status().wireName()
                    + ": only a finished job can be removed (cancel it first: batch:cancel " + shortId + ").");
        }
        CommandFailure.guard("remove job " + shortId, () -> {
            queue.purge(job.id());
            return null;
        });
        return "Removed job " + shortId + ".";
    }

    private BatchJob<?> queued(String id, String what) {
        BatchJob<?> job = JobIds.find(queue, id);
        if (job.status() != BatchJobStatus.QUEUED) {
            throw CommandFailure.refuse("Job " + ShellText.visible(JobIds.shortId(queue, job.id())) + " is "
                    + job.status().wireName() + ": only a queued job can be " + what + ".");
        }
        return job;
    }

    private static String ended(BatchJob<?> job) {
        return job.status() == BatchJobStatus.COMPLETED ? "completed" : "completed with errors";
    }
}

package ai.batch.queue.impl.shell;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;

/**
 * Gogo shell commands, scope {@code batch}, that show the queue and add to it: {@code jobs}, {@code job},
 * {@code watch}, {@code eta}, {@code enqueue}. Jobs are named by their short id or any prefix of at least four
 * characters that only one job has (see {@link JobIds}); the commands that change jobs are in
 * {@link ControlCommands}, {@code batch:models} in {@link ModelCommands}.
 */
@Component(service = BatchCommands.class, property = {
    "osgi.command.scope=batch",
    "osgi.command.function=jobs", "osgi.command.function=job", "osgi.command.function=watch",
    "osgi.command.function=eta", "osgi.command.function=enqueue"})
public final class BatchCommands {

    static final String JOB_USAGE = "Usage: batch:job [-a | --all] [-f | --follow] <job id or prefix>\n"
            + "  -a, --all     show every item, not only the first " + JobViews.ITEMS_SHOWN + "\n"
            + "  -f, --follow  show the job's progress until it ends (as batch:watch)";
    static final String WATCH_USAGE = "Usage: batch:watch <job id or prefix>\n"
            + "  shows the job's progress until it ends; Enter or Ctrl-C stops following (the job goes on)";
    static final String ENQUEUE_USAGE = "Usage: batch:enqueue <model> <operation> <item> [<item>…]";
    static final String ETA_USAGE = "Usage: batch:eta <job id or prefix>";

    private final BatchQueue queue;
    private final JobViews views;
    private final HandlerIndex handlers = new HandlerIndex();

    @Activate
    public BatchCommands(@Reference(name = "queue", policyOption = ReferencePolicyOption.GREEDY) BatchQueue queue) {
        this.queue = queue;
        this.views = new JobViews(queue);
    }

    @Reference(name = "handlers", service = BatchItemHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeHandler", updated = "addHandler")
    void addHandler(ServiceReference<?> handler) {
        handlers.put(handler.getProperty("service.id"), handler.getProperty(BatchItemHandler.RESOURCE));
    }

    void removeHandler(ServiceReference<?> handler) {
        handlers.remove(handler.getProperty("service.id"));
    }

    @Descriptor("every job: short id, model, operation, status, items done, time left (h:mm:ss)")
    public String jobs() {
        return views.jobs();
    }

    @Descriptor("shows how to use batch:job")
    public String job() {
        return JOB_USAGE;
    }

    @Descriptor("one job and its items (the first " + JobViews.ITEMS_SHOWN + " unless --all), or its progress")
    public String job(
            @Descriptor("show every item") @Parameter(names = {"-a", "--all"}, presentValue = "true",
                    absentValue = "false") boolean all,
            @Descriptor("show the progress until the job ends") @Parameter(names = {"-f", "--follow"},
                    presentValue = "true", absentValue = "false") boolean follow,
            @Descriptor("job id, or at least 4 characters of it") String id) {
        if (follow) {
            return watch(id);
        }
        BatchJob<?> job = JobIds.find(queue, id);
        return views.job(job, all);
    }

    /** {@code batch:job <id>} without options, for tests. */
    String job(String id) {
        return job(false, false, id);
    }

    @Descriptor("shows how to use batch:watch")
    public String watch() {
        return WATCH_USAGE;
    }

    @Descriptor("shows a job's progress until it ends; Enter or Ctrl-C stops following, the job goes on")
    public String watch(@Descriptor("job id, or at least 4 characters of it") String id) {
        BatchJob<?> job = JobIds.find(queue, id);
        return new JobWatch(queue, System.out, System.in, System.console() != null, JobWatch.SLEEP)
                .follow(job.id());
    }

    @Descriptor("shows how to use batch:eta")
    public String eta() {
        return ETA_USAGE;
    }

    @Descriptor("items left in a job, the time they should take (h:mm:ss) and, if queued, when it should start")
    public String eta(@Descriptor("job id, or at least 4 characters of it") String id) {
        BatchJob<?> job = JobIds.find(queue, id);
        return views.eta(job);
    }

    @Descriptor("shows how to use batch:enqueue")
    public String enqueue() {
        return ENQUEUE_USAGE;
    }

    @Descriptor("adds a job whose items are the given texts (policy skip, size unknown)")
    public String enqueue(@Descriptor("the model, e.g. llava:13b") String model,
            @Descriptor("what to do with each item, e.g. caption") String operation,
            @Descriptor("the items, each a text: a path, a URL, a prompt") String... items) {
        if (items == null || items.length == 0) {
            throw CommandFailure.refuse("A job needs at least one item. " + ENQUEUE_USAGE);
        }
        List<BatchItem<String>> batch = new ArrayList<>();
        for (String item : items) {
            batch.add(BatchItem.of(item, item, SizeBucket.UNKNOWN));
        }
        String id = CommandFailure.guard("enqueue the job",
                () -> queue.enqueue(BatchJob.of(model, operation, OverwritePolicy.SKIP, batch)));
        String done = "Enqueued job " + id + " (" + items.length + " item" + (items.length == 1 ? "" : "s") + ")";
        if (!handlers.serves(model)) {
            done += "\nNo handler serves model '" + ShellText.visible(model)
                    + "' yet: the job waits in the queue until one is registered.";
        }
        if (queue.isPaused()) {
            done += "\n" + JobViews.PAUSED;
        }
        return done;
    }
}

package ai.batch.queue.openai;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.handler.ItemResult;

/**
 * Gogo commands, scope {@code batch}: {@code batch:exportOpenai <jobId> <file>} writes a job's PENDING items as
 * an OpenAI Batch input file; {@code batch:importOpenai <jobId> <file>} applies a Batch output or error file to
 * the job. Gogo matches command names without regard to case ({@code batch:exportopenai} works too). Bodies are
 * built with the settings of the configured server that serves the job's model (exact name first, then
 * {@code *}), else with the default prompts.
 *
 * <p>Export writes a job over OpenAI's limits for one batch file to numbered files (see {@link BatchFileWriter}).
 *
 * <p>Import applies results only to PENDING items, by {@link BatchQueue#updateItem}. A file that has a result
 * for no PENDING item of the job changes nothing and fails the command naming the file and the job. Otherwise a
 * QUEUED job is first marked RUNNING (which also keeps the executor from starting it), a RUNNING job is accepted
 * only while none of its items is RUNNING (a job driven by hand, not one the executor is working on). Items that
 * already have a result are left as they are and reported. When no item is left PENDING the job is completed.
 */
@Component(service = OpenAiBatchCommands.class, property = {"osgi.command.scope=batch",
    "osgi.command.function=exportOpenai", "osgi.command.function=importOpenai"})
public final class OpenAiBatchCommands {

    private final BatchQueue queue;
    private final List<OpenAiHandler> handlers = new CopyOnWriteArrayList<>();

    @Activate
    public OpenAiBatchCommands(@Reference(name = "queue", policyOption = ReferencePolicyOption.GREEDY) BatchQueue queue) {
        this.queue = queue;
    }

    @Reference(name = "handlers", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(OpenAiHandler handler) {
        handlers.add(handler);
    }

    void removeHandler(OpenAiHandler handler) {
        handlers.remove(handler);
    }

    /** {@code batch:exportOpenai <jobId> <file>}. */
    public String exportOpenai(String jobId, String file) throws IOException {
        BatchJob<?> job = find(jobId);
        OpenAiBatchFiles.ExportReport report = filesFor(job.resourceKey()).export(job, Path.of(file));
        StringBuilder text = new StringBuilder("Wrote ").append(report.written()).append(" request")
                .append(report.written() == 1 ? "" : "s").append(" of job ").append(job.id()).append(" to ");
        if (report.files().size() == 1) {
            text.append(report.files().get(0));
        } else {
            text.append(report.files().size()).append(" files (a batch file holds at most ")
                    .append(BatchFileWriter.MAX_REQUESTS).append(" requests and 200 MB; submit each as a batch):");
            report.files().forEach(part -> text.append("\n  ").append(part));
        }
        report.skipped().forEach((item, why) -> text.append("\n  left out ").append(item).append(": ").append(why));
        return text.toString();
    }

    /** {@code batch:importOpenai <jobId> <file>}. */
    public String importOpenai(String jobId, String file) throws IOException {
        BatchJob<?> job = find(jobId);
        OpenAiBatchFiles.ImportReport report;
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            report = filesFor(job.resourceKey()).read(job, in);
        }
        return apply(queue, job, report, file);
    }

    /**
     * Applies an import to the queue under the rule in the class comment.
     *
     * @param source the file the report was read from, for messages
     * @return what was done, item by item where something did not fit
     * @throws IllegalStateException when the job is finished, or the executor is running it
     * @throws IllegalArgumentException when the file has a result for no PENDING item of the job; nothing is
     *         changed then
     */
    static String apply(BatchQueue queue, BatchJob<?> job, OpenAiBatchFiles.ImportReport report, String source) {
        if (job.status().isFinished()) {
            throw new IllegalStateException("Job " + job.id() + " is " + job.status().wireName()
                    + ": results can only be imported into a QUEUED or RUNNING job");
        }
        if (job.status() == BatchJobStatus.RUNNING
                && job.items().stream().anyMatch(item -> item.status() == BatchItemStatus.RUNNING)) {
            throw new IllegalStateException("Job " + job.id() + " has RUNNING items: the executor is working on it; "
                    + "import into a job driven by hand (executor.enabled=false) or one still QUEUED");
        }
        // A file that gives no PENDING item a result (empty, truncated, or meant for another job) must not claim a
        // QUEUED job: the job would be RUNNING with nothing to run it and nothing done.
        if (job.items().stream().noneMatch(item -> item.status() == BatchItemStatus.PENDING
                && report.results().containsKey(item.id()))) {
            throw new IllegalArgumentException(nothingMatches(job, report, source));
        }
        if (job.status() == BatchJobStatus.QUEUED) {
            queue.markRunning(job.id());
        }
        int succeeded = 0;
        int failed = 0;
        List<String> notes = new ArrayList<>();
        for (BatchItem<?> item : job.items()) {
            ItemResult result = report.results().get(item.id());
            if (result == null) {
                continue;
            }
            if (item.status() != BatchItemStatus.PENDING) {
                notes.add("item " + item.id() + " is already " + item.status().wireName() + ": left as it is");
                continue;
            }
            if (result.isSuccess()) {
                queue.updateItem(job.id(), item.id(), BatchItemStatus.COMPLETED, null, null, result.output());
                succeeded++;
            } else {
                queue.updateItem(job.id(), item.id(), BatchItemStatus.FAILED, result.error(), null);
                failed++;
            }
        }
        report.unknownCustomIds().forEach(id -> notes.add("custom_id " + id + " is no item of the job"));
        report.problems().forEach(notes::add);
        BatchJob<?> now = queue.getJob(job.id()).orElseThrow();
        long pending = now.items().stream().filter(item -> !item.status().isFinal()).count();
        StringBuilder text = new StringBuilder("Job ").append(job.id()).append(": ").append(succeeded)
                .append(" completed, ").append(failed).append(" failed from the file");
        if (pending == 0 && now.status() == BatchJobStatus.RUNNING) {
            queue.markCompleted(job.id());
            text.append("; job ").append(queue.getJob(job.id()).orElseThrow().status().wireName());
        } else if (pending > 0) {
            text.append("; ").append(pending).append(" item").append(pending == 1 ? "" : "s")
                    .append(" still without a result (").append(String.join(", ", report.missingItemIds().stream()
                            .filter(id -> now.items().stream().anyMatch(i -> i.id().equals(id)
                                    && !i.status().isFinal())).limit(10).toList()))
                    .append(pending > 10 ? ", …" : "").append(")");
        }
        notes.forEach(note -> text.append("\n  ").append(note));
        return text.toString();
    }

    private static String nothingMatches(BatchJob<?> job, OpenAiBatchFiles.ImportReport report, String source) {
        StringBuilder text = new StringBuilder("File ").append(source).append(" has no result for any PENDING item "
                + "of job ").append(job.id()).append(", so nothing was changed: ");
        if (!report.results().isEmpty()) {
            text.append("every item it has a result for already has one");
        } else if (!report.unknownCustomIds().isEmpty()) {
            List<String> unknown = report.unknownCustomIds();
            text.append("its custom_ids are no items of the job (").append(String.join(", ",
                    unknown.subList(0, Math.min(5, unknown.size())))).append(unknown.size() > 5 ? ", …" : "")
                    .append("); is it meant for another job?");
        } else if (report.problems().isEmpty()) {
            text.append("it holds no result line (is it empty?)");
        } else {
            text.append("no line could be read (").append(report.problems().get(0))
                    .append(report.problems().size() > 1 ? ", …" : "").append(")");
        }
        return text.toString();
    }

    private OpenAiBatchFiles filesFor(String model) {
        OpenAiHandler any = null;
        for (OpenAiHandler handler : handlers) {
            if (handler.models().contains(model)) {
                return new OpenAiBatchFiles(handler.requests(), handler.mask());
            }
            if (any == null && handler.models().contains("*")) {
                any = handler;
            }
        }
        return any != null ? new OpenAiBatchFiles(any.requests(), any.mask()) : OpenAiBatchFiles.withDefaults();
    }

    private BatchJob<?> find(String id) {
        return queue.getJob(id).or(() -> {
            List<BatchJob<?>> matches = queue.listJobs().stream().filter(job -> job.id().startsWith(id)).toList();
            if (matches.size() > 1) {
                throw new IllegalArgumentException("Job id '" + id + "' is ambiguous: " + matches.size() + " jobs");
            }
            return matches.stream().findFirst();
        }).orElseThrow(() -> new NoSuchElementException("No job '" + id + "'"));
    }
}

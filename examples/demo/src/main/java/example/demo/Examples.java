package example.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.service.event.Event;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/**
 * The runnable examples: the same three stories as the original library's examples, told through OSGi, and the
 * corpus through two real models ({@link RealModels}).
 */
final class Examples {

    private static final long TIMEOUT_SECONDS = 120;

    private Examples() {
    }

    static int run(String name, BatchQueue queue, Demo.Hooks hooks, PrintStream out, Terminal terminal)
            throws InterruptedException, java.io.IOException {
        return switch (name) {
            case "basic-batch" -> basicBatch(queue, hooks, out, terminal);
            case "model-optimization" -> modelOptimization(queue, hooks, out, terminal);
            case "eta-tracking" -> etaTracking(queue, hooks, out, terminal);
            case "real-models" -> RealModels.run(queue, hooks, out, terminal);
            case "slots" -> SlotsExample.run(queue, hooks, out, terminal);
            case "fleet" -> {
                out.println("fleet: this example starts PostgreSQL and three JVMs of this demo as fleet nodes; run it"
                        + " with ./demo --example fleet (each node is this jar with --fleet <jdbc-url>; see --help).");
                yield 2;
            }
            default -> throw new IllegalArgumentException("Unknown example " + name);
        };
    }

    /** Enqueue one job, let the llava handler tag it, skip what is already tagged, print the results. */
    private static int basicBatch(BatchQueue queue, Demo.Hooks hooks, PrintStream out, Terminal terminal)
            throws InterruptedException {
        BatchJob<String> job = BatchJob.of("llava:13b", "tag", OverwritePolicy.SKIP, List.of(
                BatchItem.of("img-1", "cat.jpg", SizeBucket.MEDIUM),
                BatchItem.of("img-2", "dog.jpg", SizeBucket.SMALL),
                BatchItem.of("img-3", "sunset.jpg", SizeBucket.LARGE),
                BatchItem.of("img-4", "done_beach.jpg", SizeBucket.SMALL)));
        out.println("basic-batch: 4 photos for llava:13b 'tag' with OverwritePolicy.SKIP;");
        out.println("done_beach.jpg already has tags, so the handler's shouldSkip says to skip it.\n");
        String id;
        try (JobWatcher watcher = new JobWatcher(hooks, out, true)) {
            id = queue.enqueue(job);
            out.println("Enqueued job " + id);
            if (!watcher.awaitCompleted(id)) {
                return 1;
            }
        }
        out.println();
        for (BatchItem<?> item : queue.getJob(id).orElseThrow().items()) {
            out.printf("  %-6s %-15s %-9s %s%n", item.id(), item.data(), item.status().wireName(),
                    item.error() != null ? "error: " + item.error()
                            : item.status() == ai.batch.queue.BatchItemStatus.SKIPPED ? "had a result already: SKIP"
                                    : item.output() == null ? "" : item.output());
        }
        out.println();
        Text.wrap(BatchCompletionSummary.of(queue.getJob(id).orElseThrow()).toString(), terminal.columns())
                .forEach(out::println);
        return 0;
    }

    /** Three jobs in a bad order: the planner groups them by model and says why. */
    private static int modelOptimization(BatchQueue queue, Demo.Hooks hooks, PrintStream out, Terminal terminal)
            throws InterruptedException {
        List<BatchJob<String>> jobs = List.of(
                BatchJob.of("llava:13b", "tag", OverwritePolicy.OVERWRITE, photos("a", 3)),
                BatchJob.of("moondream", "tag", OverwritePolicy.OVERWRITE, photos("b", 3)),
                BatchJob.of("llava:13b", "caption", OverwritePolicy.OVERWRITE, photos("c", 3)));
        out.println("model-optimization: enqueue llava:13b tag, moondream tag, llava:13b caption.\n");
        List<String> ids = new ArrayList<>();
        try (JobWatcher watcher = new JobWatcher(hooks, out, false)) {
            for (BatchJob<String> job : jobs) {
                ids.add(queue.enqueue(job));
            }
            for (String id : ids) {
                if (!watcher.awaitCompleted(id)) {
                    return 1;
                }
            }
            out.println("Run order:");
            for (String started : watcher.started()) {
                BatchJob<?> job = queue.getJob(started).orElseThrow();
                out.printf("  %-10s %-8s%s%n", job.resourceKey(), job.operation(), job.reordered() ? "  <- moved up:"
                        : "");
                if (job.reordered()) {
                    // the note on lines of its own, so wrapping it keeps the columns above
                    Text.wrap("      " + Text.shortIds(job.reorderNote()), terminal.columns()).forEach(out::println);
                }
            }
            out.printf("%nModel loads: %d (enqueue order would need %d).%n", watcher.switches(),
                    DemoBatch.loadsInOrder(jobs));
        }
        return 0;
    }

    /** One job of mixed sizes: the estimate sharpens as each size bucket gets samples. */
    private static int etaTracking(BatchQueue queue, Demo.Hooks hooks, PrintStream out, Terminal terminal)
            throws InterruptedException {
        List<BatchItem<String>> items = new ArrayList<>();
        SizeBucket[] sizes = {SizeBucket.SMALL, SizeBucket.LARGE, SizeBucket.MEDIUM};
        for (int i = 0; i < 12; i++) {
            items.add(BatchItem.of("photo-" + (i + 1), "photo-" + (i + 1) + ".jpg", sizes[i % sizes.length]));
        }
        out.println("eta-tracking: 12 photos (small, large, medium, ...) for moondream 'caption'.");
        Text.wrap("Each item is estimated from the durations of its (model, operation, size bucket): their mean,"
                + " or their median from 5 samples on. A size not measured yet borrows from the sizes that were,"
                + " warm items first. The first item after the model loads counts too, less the load time once"
                + " a warm item of its size, or of another size scaled as on other models, has shown it.",
                terminal.columns(), "").forEach(out::println);
        out.println();
        try (JobWatcher watcher = new JobWatcher(hooks, out, false)) {
            watcher.onProgress(event -> out.printf("  %2d/%d done  remaining estimate: %s  (samples small/medium/large:"
                    + " %d/%d/%d)%n", event.getProperty(BatchEvents.COMPLETED), event.getProperty(BatchEvents.TOTAL),
                    eta((Long) event.getProperty(BatchEvents.ETA_REMAINING_MS)),
                    queue.etaSampleCount("moondream", "caption", SizeBucket.SMALL),
                    queue.etaSampleCount("moondream", "caption", SizeBucket.MEDIUM),
                    queue.etaSampleCount("moondream", "caption", SizeBucket.LARGE)));
            String id = queue.enqueue(BatchJob.of("moondream", "caption", OverwritePolicy.OVERWRITE, items));
            return watcher.awaitCompleted(id) ? 0 : 1;
        }
    }

    private static List<BatchItem<String>> photos(String prefix, int count) {
        List<BatchItem<String>> items = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            items.add(BatchItem.of(prefix + i, prefix + i + ".jpg", SizeBucket.SMALL));
        }
        return items;
    }

    private static String eta(Long ms) {
        return ms == null ? "unknown (no sample yet)" : String.format("%.1f s", ms / 1000.0);
    }

    /** Follows jobs through their events. */
    private static final class JobWatcher implements org.osgi.service.event.EventHandler, AutoCloseable {
        private final Demo.Subscription subscription;
        private final PrintStream out;
        private final boolean printItems;
        private final List<String> started = new ArrayList<>();
        private final java.util.Set<String> completed = new java.util.HashSet<>();
        private volatile java.util.function.Consumer<Event> progress = event -> { };
        private int switches;

        JobWatcher(Demo.Hooks hooks, PrintStream out, boolean printItems) {
            this.out = out;
            this.printItems = printItems;
            this.subscription = hooks.subscribe(this);
        }

        void onProgress(java.util.function.Consumer<Event> consumer) {
            progress = consumer;
        }

        @Override
        public synchronized void handleEvent(Event event) {
            String jobId = (String) event.getProperty(BatchEvents.JOB_ID);
            switch (event.getTopic()) {
                case BatchEvents.TOPIC_JOB_STARTED -> started.add(jobId);
                case BatchEvents.TOPIC_RESOURCE_SWITCHED -> switches++;
                case BatchEvents.TOPIC_ITEM_PROGRESS -> {
                    progress.accept(event);
                    if (printItems) {
                        out.printf("  item %s: %s%n", event.getProperty(BatchEvents.ITEM_ID),
                                event.getProperty(BatchEvents.STATUS));
                    }
                }
                case BatchEvents.TOPIC_JOB_COMPLETED -> {
                    completed.add(jobId);
                    notifyAll();
                }
                default -> {
                    // not needed here
                }
            }
        }

        /** @return whether the job completed before the timeout */
        synchronized boolean awaitCompleted(String jobId) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!completed.contains(jobId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    out.println("Job " + jobId + " did not complete within " + TIMEOUT_SECONDS + " s");
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }

        synchronized List<String> started() {
            return List.copyOf(started);
        }

        synchronized int switches() {
            return switches;
        }

        @Override
        public void close() {
            subscription.close();
        }
    }
}

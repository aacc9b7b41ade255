package example.demo;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import example.demo.models.SimulatedGpu;

/**
 * The demo: enqueues a mixed batch in a bad order, shows the queue at work, retries what failed, and compares the
 * model loads with those of the enqueue order. Runs on the launcher's main thread; its result is the exit code.
 * With {@code --shell} the run goes to a thread of its own and the Gogo shell opens at once on this one, so the
 * queue can be watched and steered while it works.
 */
public final class DemoMain implements Callable<Integer> {

    private static final long TIME_LIMIT_MINUTES = 10;
    /** How long the demo waits for the dashboard to be served: a deadline, so a loaded machine is not misread. */
    private static final long DASHBOARD_WAIT_MS = 20_000;
    /** How long a run left behind by the shell may take to notice its interrupt. */
    private static final long RUN_STOP_WAIT_MS = 5_000;

    private final BatchQueue queue;
    private final SimulatedGpu gpu;
    private final Demo.Hooks hooks;
    private final String[] args;
    /** The terminal, in UTF-8 whatever the platform charset, as the shell writes it. */
    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
            StandardCharsets.UTF_8);
    private final Terminal terminal = Terminal.detect();

    DemoMain(BatchQueue queue, SimulatedGpu gpu, Demo.Hooks hooks, String[] args) {
        this.queue = queue;
        this.gpu = gpu;
        this.hooks = hooks;
        this.args = args;
    }

    @Override
    public Integer call() throws Exception {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ai-batch-queue demo: " + e.getMessage());
            System.err.println(DemoOptions.usage(terminal));
            return 2;
        }
        if (options.help()) {
            out.println(DemoOptions.usage(terminal));
            return 0;
        }
        gpu.setSpeed(options.speed());
        gpu.setFailureRate(options.failureRate());
        showDashboard(options.web(), options.webActions());
        if (options.fleet() != null) {
            return FleetNodeRun.run(options, hooks, out);
        }
        hooks.protectStorage(); // again: the dashboard's configuration and the journal exist by now
        if (options.shell()) {
            return runBesideShell(options);
        }
        int status = run(options, false);
        if (options.keepRunning()) {
            out.println("The dashboard stays up until standard input closes (Ctrl-D).");
            out.flush();
            awaitEndOfInput();
        }
        return status;
    }

    private int run(DemoOptions options, boolean quiet) throws Exception {
        return options.example() != null ? Examples.run(options.example(), queue, hooks, out, terminal)
                : runDemo(options, quiet);
    }

    /**
     * Runs the demo on a thread of its own and the shell here. Leaving the shell ends the program, a run still
     * going included (the framework stops; what is queued stays in the journal).
     *
     * @return the run's exit code, or 0 when the shell was left before the run ended
     */
    private int runBesideShell(DemoOptions options) throws Exception {
        AtomicInteger status = new AtomicInteger(0);
        Thread run = new Thread(() -> {
            try {
                status.set(run(options, true));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the shell was left: nothing more to show
            } catch (Exception e) {
                out.println("The demo failed: " + e);
                status.set(1);
            }
        }, "demo-run");
        run.setDaemon(true);
        out.println("The demo runs in the background; its lines appear above the prompt, without progress bars.");
        run.start();
        hooks.openShell();
        if (run.isAlive()) {
            out.println("Left the shell while the demo was running; it stops with the framework.");
            run.interrupt();
            run.join(RUN_STOP_WAIT_MS);
        }
        return status.get();
    }

    /** Blocks until standard input ends; the launcher then stops the framework. */
    static void awaitEndOfInput() throws java.io.IOException {
        byte[] buffer = new byte[256];
        while (System.in.read(buffer) >= 0) {
            // input is ignored; only its end matters
        }
    }

    /** Prints where the dashboard is, or switches it off; the demo runs the same either way. */
    private void showDashboard(boolean web, boolean actions) {
        Dashboard dashboard = hooks.dashboard();
        if (!web) {
            dashboard.switchOff();
            return;
        }
        dashboard.allowActions(actions);
        dashboard.url(actions, DASHBOARD_WAIT_MS).ifPresent(url -> out.printf(
                "Dashboard (%s, this machine only): %s%n%n", actions ? "actions enabled" : "read-only", url));
    }

    private int runDemo(DemoOptions options, boolean quiet) throws InterruptedException {
        List<BatchJob<String>> batch = DemoBatch.jobs(options.scale());
        int photos = batch.stream().mapToInt(job -> job.items().size()).sum();
        out.printf("ai-batch-queue demo: %d photos in %d jobs for 3 simulated models (speed %sx)%n%n", photos,
                batch.size(), format(options.speed()));
        out.println("Enqueued in this order, which would load a model for every job:");
        for (int i = 0; i < batch.size(); i++) {
            BatchJob<String> job = batch.get(i);
            out.printf("  %d. %-10s %-9s %2d photos%n", i + 1, job.resourceKey(), job.operation(), job.items().size());
        }
        out.println();

        ProgressView view = new ProgressView(queue, out, terminal, quiet);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "demo-progress-ticker");
            thread.setDaemon(true);
            return thread;
        });
        if (terminal.interactive() && !quiet) {
            ticker.scheduleAtFixedRate(view::tick, 100, 100, TimeUnit.MILLISECONDS); // the ETA counts down
        }
        try (Demo.Subscription subscription = hooks.subscribe(view)) {
            Map<String, Integer> endings = new LinkedHashMap<>();
            for (BatchJob<String> job : batch) {
                endings.put(queue.enqueue(job), 1);
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TIME_LIMIT_MINUTES);
            if (!view.awaitEnded(endings, deadline)) {
                out.println("The demo did not finish within " + TIME_LIMIT_MINUTES + " minutes.");
                return 1;
            }
            int plannedLoads = view.modelLoads();
            retryFailures(view, endings, deadline);
            summarize(plannedLoads, new ArrayList<>(endings.keySet()), batch);
        } finally {
            ticker.shutdownNow();
        }
        return 0;
    }

    private void retryFailures(ProgressView view, Map<String, Integer> endings, long deadline)
            throws InterruptedException {
        Map<String, Long> failedByJob = new LinkedHashMap<>();
        for (String id : endings.keySet()) {
            long count = queue.getJob(id).orElseThrow().items().stream()
                    .filter(item -> item.status() == BatchItemStatus.FAILED).count();
            if (count > 0) {
                failedByJob.put(id, count);
            }
        }
        if (failedByJob.isEmpty()) {
            return;
        }
        long failed = failedByJob.values().stream().mapToLong(Long::longValue).sum();
        view.line(String.format("%n%d photo%s failed; retryFailed re-queues only those:", failed,
                failed == 1 ? "" : "s"));
        for (String id : failedByJob.keySet()) {
            queue.retryFailed(id);
            endings.put(id, 2);
        }
        view.awaitEnded(endings, deadline);
    }

    private void summarize(int plannedLoads, List<String> ids, List<BatchJob<String>> batch) {
        out.println();
        out.println("Summary");
        out.printf("  %-10s %-9s %5s %6s %7s %8s%n", "MODEL", "OPERATION", "OK", "FAILED", "SKIPPED", "AVG MS");
        for (String id : ids) {
            BatchJob<?> job = queue.getJob(id).orElseThrow();
            var summary = ai.batch.queue.BatchCompletionSummary.of(job);
            out.printf("  %-10s %-9s %5d %6d %7d %8d%n", job.resourceKey(), job.operation(), summary.succeeded(),
                    summary.failed(), summary.skipped(), summary.avgDurationMs());
        }
        int inOrder = DemoBatch.loadsInOrder(batch);
        out.printf("%nModel loads for the batch: %d with the planner, %d in enqueue order: %d saved.%n", plannedLoads,
                inOrder, inOrder - plannedLoads);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}

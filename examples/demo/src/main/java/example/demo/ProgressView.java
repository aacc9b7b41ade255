package example.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;

/**
 * Draws the queue's progress from its events: one progress bar per running job with an ETA that counts down,
 * a line when the model switches or the planner moves a job up, the reason of each failed item, and a line per
 * finished job that says which items were skipped and why. On a terminal the bar redraws in place; otherwise (a
 * pipe, a log) it prints a line per item; next to the Gogo shell ({@code quiet}) it draws no bar at all, so the
 * prompt stays usable. Every line fits the terminal's width.
 */
final class ProgressView implements EventHandler {

    /** Wide enough to see progress, narrow enough that a bar with its ETA and failures fits 80 columns. */
    private static final int BAR = 20;

    private final BatchQueue queue;
    private final PrintStream out;
    private final Terminal terminal;
    private final boolean quiet;
    private final Map<String, JobLine> jobs = new LinkedHashMap<>();
    private final Set<String> announcedReorders = new HashSet<>();
    private final Map<String, Integer> completions = new LinkedHashMap<>();
    private int modelLoads;
    /** How long the bar drawn last was: without escape sequences, a shorter one blanks the rest with spaces. */
    private int barShown;
    private boolean skipExplained;

    /**
     * @param quiet no progress bars, only the lines about models, the plan, failures and finished jobs (the
     *        demo's output next to the Gogo prompt)
     */
    ProgressView(BatchQueue queue, PrintStream out, Terminal terminal, boolean quiet) {
        this.queue = queue;
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    private static final class JobLine {
        final String label;
        final int total;
        int done;
        int failed;
        final List<String> skipped = new ArrayList<>();
        Long etaMs;
        long etaAtNanos;
        long startedNanos;
        boolean running;

        JobLine(String label, int total) {
            this.label = label;
            this.total = total;
        }
    }

    @Override
    public synchronized void handleEvent(Event event) {
        String jobId = (String) event.getProperty(BatchEvents.JOB_ID);
        switch (event.getTopic()) {
            case BatchEvents.TOPIC_RESOURCE_SWITCHED -> {
                modelLoads++;
                Object from = event.getProperty(BatchEvents.FROM_RESOURCE_KEY);
                Object reason = event.getProperty(BatchEvents.REASON);
                line("  > loading model " + Text.visible(event.getProperty(BatchEvents.RESOURCE_KEY))
                        + (from == null ? "" : " (unloading " + Text.visible(from) + ")")
                        + (reason == null ? "" : ": " + Text.visible(reason)));
            }
            case BatchEvents.TOPIC_PLAN_CHANGED -> announceReorders((String[]) event.getProperty(BatchEvents.JOB_IDS));
            case BatchEvents.TOPIC_JOB_STARTED -> {
                JobLine job = job(jobId, event);
                job.running = true;
                job.failed = 0;
                job.skipped.clear();
                job.startedNanos = System.nanoTime();
                job.etaMs = queue.estimateRemainingMs(jobId).isPresent()
                        ? queue.estimateRemainingMs(jobId).getAsLong() : null;
                job.etaAtNanos = System.nanoTime();
                drawBar(job);
            }
            case BatchEvents.TOPIC_ITEM_PROGRESS -> {
                JobLine job = jobs.get(jobId);
                if (job != null) {
                    job.done = (Integer) event.getProperty(BatchEvents.COMPLETED);
                    Object status = event.getProperty(BatchEvents.STATUS);
                    Object item = event.getProperty(BatchEvents.ITEM_ID);
                    if ("failed".equals(status)) {
                        job.failed++;
                        // each item_progress event is one item's end: its reason is printed once, here
                        line("  ! " + Text.visible(item) + " failed: " + Text.visible(event.getProperty(
                                BatchEvents.ERROR)));
                    } else if ("skipped".equals(status)) {
                        job.skipped.add(Text.visible(item));
                    }
                    job.etaMs = (Long) event.getProperty(BatchEvents.ETA_REMAINING_MS);
                    job.etaAtNanos = System.nanoTime();
                    if (terminal.interactive()) {
                        drawBar(job);
                    } else if (!quiet) {
                        // cut, not wrapped: a bar is columns; the failures it counts have lines of their own
                        line(Text.fit(bar(job), terminal.columns()));
                    }
                }
            }
            case BatchEvents.TOPIC_JOB_COMPLETED -> finish(jobId, event);
            case BatchEvents.TOPIC_JOB_CANCELLED -> {
                // a running job also gets its job_completed event; a queued one ends here
                if (!Boolean.TRUE.equals(event.getProperty(BatchEvents.WAS_RUNNING))) {
                    completions.merge(jobId, 1, Integer::sum);
                    notifyAll();
                    line(String.format("  x %-10s %-9s cancelled before it started",
                            Text.visible(event.getProperty(BatchEvents.RESOURCE_KEY)),
                            Text.visible(event.getProperty(BatchEvents.OPERATION))));
                }
            }
            default -> {
                // other topics are not shown
            }
        }
    }

    private JobLine job(String jobId, Event event) {
        return jobs.computeIfAbsent(jobId, id -> new JobLine(String.format("%-10s %-9s",
                Text.visible(event.getProperty(BatchEvents.RESOURCE_KEY)),
                Text.visible(event.getProperty(BatchEvents.OPERATION))),
                (Integer) event.getProperty(BatchEvents.TOTAL_ITEMS)));
    }

    private void announceReorders(String[] planned) {
        for (String id : planned) {
            if (announcedReorders.contains(id)) {
                continue;
            }
            queue.getJob(id).filter(BatchJob::reordered).ifPresent(job -> {
                announcedReorders.add(id);
                line("  ^ planner: " + Text.visible(job.resourceKey()) + " " + Text.visible(job.operation())
                        + " moves up. " + Text.visible(Text.shortIds(job.reorderNote())));
            });
        }
    }

    private void finish(String jobId, Event event) {
        completions.merge(jobId, 1, Integer::sum);
        notifyAll();
        JobLine job = jobs.get(jobId);
        if (job == null) {
            return;
        }
        job.running = false;
        double seconds = (System.nanoTime() - job.startedNanos) / 1e9;
        line(String.format("  * %s %s  %d ok, %d failed, %d skipped in %.1f s", job.label,
                event.getProperty(BatchEvents.STATUS), countOf(event, BatchEvents.SUCCEEDED),
                countOf(event, BatchEvents.FAILED), countOf(event, BatchEvents.SKIPPED), seconds));
        if (!job.skipped.isEmpty()) {
            line("    skipped " + String.join(", ", job.skipped) + (skipExplained ? ""
                    : ": each already had a result, and under OverwritePolicy.SKIP the queue leaves such an item"
                            + " as it is instead of running the model on it again"));
            skipExplained = true;
        }
    }

    private static int countOf(Event event, String key) {
        Object value = event.getProperty(key);
        return value instanceof Integer number ? number : 0;
    }

    /** Redraws the running jobs' bars in place (terminal only); called by a ticker for the ETA countdown. */
    synchronized void tick() {
        if (terminal.interactive()) {
            jobs.values().stream().filter(job -> job.running).forEach(this::drawBar);
        }
    }

    /** One line redrawn in place; kept shorter than the terminal, since a wrapped line cannot be redrawn. */
    private void drawBar(JobLine job) {
        if (terminal.interactive() && !quiet) {
            String bar = Text.fit(bar(job), terminal.columns() - 1);
            out.print(clearLine() + bar);
            out.flush();
            barShown = bar.length();
        }
    }

    /** Goes back to the start of the bar's line and blanks it: an escape sequence where allowed, else spaces. */
    private String clearLine() {
        if (barShown == 0) {
            return "";
        }
        return terminal.ansi() ? "\r\033[2K" : "\r" + " ".repeat(barShown) + "\r";
    }

    private String bar(JobLine job) {
        int filled = job.total == 0 ? BAR : job.done * BAR / job.total;
        String eta = "ETA --";
        if (job.etaMs != null) {
            long left = Math.max(0, job.etaMs - (System.nanoTime() - job.etaAtNanos) / 1_000_000);
            eta = String.format("ETA %.1f s", left / 1000.0);
        }
        return String.format("    %s [%s%s] %3d/%-3d %s%s", job.label, "#".repeat(filled), "-".repeat(BAR - filled),
                job.done, job.total, eta, job.failed > 0 ? "  (" + job.failed + " failed)" : "");
    }

    /** Prints a line above the bars, wrapped to the terminal's width (a blank line for each leading newline). */
    synchronized void line(String text) {
        out.print(clearLine());
        barShown = 0;
        String rest = text;
        while (rest.startsWith("\n")) {
            out.println();
            rest = rest.substring(1);
        }
        for (String part : Text.wrap(rest, terminal.columns())) {
            out.println(part);
        }
        out.flush();
    }

    synchronized int modelLoads() {
        return modelLoads;
    }

    /**
     * Waits until each job has ended as often as given (a retried job ends once more).
     *
     * @param endings job id to the number of job_completed events to wait for
     * @return {@code false} if the deadline passed first
     */
    synchronized boolean awaitEnded(Map<String, Integer> endings, long deadlineNanos) throws InterruptedException {
        while (!endings.entrySet().stream()
                .allMatch(end -> completions.getOrDefault(end.getKey(), 0) >= end.getValue())) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}

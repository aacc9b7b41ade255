package example.demo;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;

/**
 * Draws the queue's progress from its events: one progress bar per running job with an ETA that counts down,
 * a line when the model switches or the planner moves a job up, and a line per finished job. On a terminal the
 * bar redraws in place; otherwise (a pipe, a log) it prints a line per item.
 */
final class ProgressView implements EventHandler {

    private static final int BAR = 24;

    private final BatchQueue queue;
    private final PrintStream out;
    private final boolean terminal;
    private final Map<String, JobLine> jobs = new LinkedHashMap<>();
    private final Set<String> announcedReorders = new HashSet<>();
    private final Map<String, Integer> completions = new LinkedHashMap<>();
    private int modelLoads;
    private boolean barShown;

    ProgressView(BatchQueue queue, PrintStream out, boolean terminal) {
        this.queue = queue;
        this.out = out;
        this.terminal = terminal;
    }

    private static final class JobLine {
        final String label;
        final int total;
        int done;
        int failed;
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
                line("  > loading model " + event.getProperty(BatchEvents.RESOURCE_KEY)
                        + (from == null ? "" : " (unloading " + from + ")") + (reason == null ? "" : ": " + reason));
            }
            case BatchEvents.TOPIC_PLAN_CHANGED -> announceReorders((String[]) event.getProperty(BatchEvents.JOB_IDS));
            case BatchEvents.TOPIC_JOB_STARTED -> {
                JobLine job = job(jobId, event);
                job.running = true;
                job.failed = 0;
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
                    if ("failed".equals(event.getProperty(BatchEvents.STATUS))) {
                        job.failed++;
                    }
                    job.etaMs = (Long) event.getProperty(BatchEvents.ETA_REMAINING_MS);
                    job.etaAtNanos = System.nanoTime();
                    if (terminal) {
                        drawBar(job);
                    } else {
                        line(bar(job));
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
                            event.getProperty(BatchEvents.RESOURCE_KEY), event.getProperty(BatchEvents.OPERATION)));
                }
            }
            default -> {
                // other topics are not shown
            }
        }
    }

    private JobLine job(String jobId, Event event) {
        return jobs.computeIfAbsent(jobId, id -> new JobLine(String.format("%-10s %-9s",
                event.getProperty(BatchEvents.RESOURCE_KEY), event.getProperty(BatchEvents.OPERATION)),
                (Integer) event.getProperty(BatchEvents.TOTAL_ITEMS)));
    }

    private void announceReorders(String[] planned) {
        for (String id : planned) {
            if (announcedReorders.contains(id)) {
                continue;
            }
            queue.getJob(id).filter(BatchJob::reordered).ifPresent(job -> {
                announcedReorders.add(id);
                line("  ^ planner: " + job.resourceKey() + " " + job.operation() + " moves up. "
                        + job.reorderNote());
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
    }

    private static int countOf(Event event, String key) {
        Object value = event.getProperty(key);
        return value instanceof Integer number ? number : 0;
    }

    /** Redraws the running jobs' bars in place (terminal only); called by a ticker for the ETA countdown. */
    synchronized void tick() {
        if (terminal) {
            jobs.values().stream().filter(job -> job.running).forEach(this::drawBar);
        }
    }

    private void drawBar(JobLine job) {
        if (terminal) {
            out.print("\r\033[2K" + bar(job));
            out.flush();
            barShown = true;
        }
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

    /** Prints a line above the bars. */
    synchronized void line(String text) {
        if (barShown) {
            out.print("\r\033[2K");
            barShown = false;
        }
        out.println(text);
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

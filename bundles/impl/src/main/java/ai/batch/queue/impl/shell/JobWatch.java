package ai.batch.queue.impl.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Optional;

import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;

/**
 * Follows one job, as {@code ollama run} shows a pull: reads the queue every interval and shows the progress line
 * whenever it changes, until the job ends, the user presses Enter, the thread is interrupted (Ctrl-C) or a day has
 * passed. On a terminal the line is redrawn in place (a carriage return, no other control codes); elsewhere each
 * change is a line of its own.
 */
final class JobWatch {

    /** Waits between two reads of the queue. */
    @FunctionalInterface
    interface Pause {
        /** @return false when the wait was interrupted */
        boolean await(long ms);
    }

    static final long INTERVAL_MS = 500;
    private static final long MAX_ROUNDS = 24L * 3_600_000 / INTERVAL_MS;

    /** Sleeps; an interrupt ends the wait ({@link #follow} sets the thread's interrupt flag again). */
    static final Pause SLEEP = ms -> {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    };

    private final BatchQueue queue;
    private final JobViews views;
    private final PrintStream out;
    private final InputStream in;
    private final boolean redraw;
    private final Pause pause;

    JobWatch(BatchQueue queue, PrintStream out, InputStream in, boolean redraw, Pause pause) {
        this.queue = queue;
        this.views = new JobViews(queue);
        this.out = out;
        this.in = in;
        this.redraw = redraw;
        this.pause = pause;
    }

    /**
     * @return the closing sentence, or null when interrupted (the sentence is printed then, as Gogo drops the
     *         result of an interrupted command); progress went to the output stream as it came
     */
    String follow(String jobId) {
        String shortId = JobIds.shortId(queue, jobId);
        String last = null;
        int width = 0;
        try {
            for (long round = 0; round < MAX_ROUNDS; round++) {
                Optional<BatchJob<?>> read = queue.getJob(jobId);
                if (read.isEmpty()) {
                    return "Job " + ShellText.visible(shortId) + " was removed.";
                }
                BatchJob<?> job = read.get();
                String line = views.progress(job, shortId);
                if (!line.equals(last)) {
                    if (redraw) {
                        out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                    } else {
                        out.println(line);
                    }
                    out.flush();
                    width = line.length();
                    last = line;
                }
                if (job.status().isFinished()) {
                    return ended(job, shortId);
                }
                String stopped = "Stopped following job " + ShellText.visible(shortId) + "; it goes on (batch:job "
                        + ShellText.visible(shortId) + ").";
                if (stopAsked()) {
                    return stopped;
                }
                boolean interrupted = !pause.await(INTERVAL_MS) | Thread.interrupted();
                if (interrupted) {
                    // Gogo drops the result of a command its Ctrl-C interrupted: say it on the output instead,
                    // before the interrupt flag is set again (Gogo's output channels close on an interrupted write)
                    if (redraw) {
                        out.println();
                        last = null;
                    }
                    out.println(stopped);
                    out.flush();
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return "Stopped following job " + ShellText.visible(shortId) + " after a day; it goes on.";
        } finally {
            if (redraw && last != null) {
                out.println();
                out.flush();
            }
        }
    }

    private static String ended(BatchJob<?> job, String shortId) {
        long failed = job.items().stream().filter(item -> item.status() == BatchItemStatus.FAILED).count();
        return "Job " + ShellText.visible(shortId) + " " + job.status().wireName() + ": " + JobViews.done(job) + "/"
                + job.items().size() + " items" + (failed > 0 ? ", " + failed + " failed" : "") + ".";
    }

    /** Enter (any input) stops following; what was typed is consumed. */
    private boolean stopAsked() {
        try {
            if (in != null && in.available() > 0) {
                in.skip(in.available());
                return true;
            }
        } catch (IOException e) {
            // no usable input: only the job's end or an interrupt stops
        }
        return false;
    }
}

package ai.batch.queue.impl.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItemStatus;

/** The follow loop, driven step by step: each wait of the loop makes the next change, nothing sleeps. */
class JobWatchTest {

    private final ShellFixture fixture = new ShellFixture();
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
    private final Deque<Runnable> steps = new ArrayDeque<>();
    private int waits;

    private final JobWatch.Pause scripted = ms -> {
        waits++;
        Runnable step = steps.poll();
        if (step == null) {
            return false; // the script ran out: stop as an interrupt would
        }
        step.run();
        return true;
    };

    private JobWatch watch(boolean redraw, InputStream in) {
        return new JobWatch(fixture.queue, out, in, redraw, scripted);
    }

    private String output() {
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsALinePerChangeUntilTheJobEnds() {
        fixture.enqueue("watch-me", "m", "a", "b");
        steps.add(() -> {
            fixture.queue.markRunning("watch-me");
            fixture.queue.updateItem("watch-me", "a", BatchItemStatus.COMPLETED, null, 1_000L);
        });
        steps.add(() -> { }); // nothing changed: no line
        steps.add(() -> {
            fixture.queue.updateItem("watch-me", "b", BatchItemStatus.FAILED, "boom", 1_000L);
            fixture.queue.markCompleted("watch-me");
        });
        String end = watch(false, new ByteArrayInputStream(new byte[0])).follow("watch-me");
        assertThat(end).isEqualTo("Job watch-me completedWithErrors: 2/2 items, 1 failed.");
        assertThat(output().lines().toList()).isEqualTo(List.of(
                "watch-me m tag  queued  [--------------------] 0/2  ETA -",
                "watch-me m tag  running  [##########----------] 1/2  ETA 0:00:01",
                "watch-me m tag  completedWithErrors  [####################] 2/2, 1 failed"));
        assertThat(waits).isEqualTo(3);
        assertThat(output()).doesNotContain("\r", "\u001b");
    }

    @Test
    void anInterruptStopsFollowingButNotTheJob() {
        fixture.enqueue("watch-me", "m", "a");
        assertThat(watch(false, null).follow("watch-me")).isNull();
        assertThat(output().lines().toList()).hasSize(2).last()
                .isEqualTo("Stopped following job watch-me; it goes on (batch:job watch-me).");
        assertThat(fixture.queue.getJob("watch-me").orElseThrow().status().isFinished()).isFalse();
    }

    @Test
    void enterStopsFollowing() {
        fixture.enqueue("watch-me", "m", "a");
        steps.add(() -> { });
        ByteArrayInputStream enter = new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8));
        assertThat(watch(false, enter).follow("watch-me")).startsWith("Stopped following job watch-me");
        assertThat(waits).isZero();
        assertThat(enter.available()).isZero();
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlace() {
        fixture.enqueue("watch-me", "m", "a");
        steps.add(() -> fixture.queue.markRunning("watch-me"));
        steps.add(() -> {
            fixture.queue.updateItem("watch-me", "a", BatchItemStatus.COMPLETED, null, 10L);
            fixture.queue.markCompleted("watch-me");
        });
        assertThat(watch(true, null).follow("watch-me")).isEqualTo("Job watch-me completed: 1/1 items.");
        String running = "watch-me m tag  running  [--------------------] 0/1  ETA -";
        String completed = "watch-me m tag  completed  [####################] 1/1";
        assertThat(output()).isEqualTo("\rwatch-me m tag  queued  [--------------------] 0/1  ETA -"
                + "\r" + running + "\r" + completed + " ".repeat(running.length() - completed.length())
                + System.lineSeparator());
    }

    @Test
    void aJobRemovedMeanwhileEndsTheWatch() {
        fixture.enqueue("watch-me", "m", "a");
        steps.add(() -> {
            fixture.queue.cancelJob("watch-me");
            fixture.queue.purge("watch-me");
        });
        // the cancel is seen only if the read happens between the two: here it does not, the job is gone
        assertThat(watch(false, null).follow("watch-me")).isEqualTo("Job watch-me was removed.");
    }
}

package ai.batch.queue.impl.core;

import static ai.batch.queue.BatchItemStatus.COMPLETED;
import static ai.batch.queue.BatchItemStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchEstimate;

/** Expected start and finish, load times, and the time already spent on a running item. */
class EstimateTest extends QueueTestSupport {

    /** Runs a llava tag job whose first item takes 2,100 ms (2,000 ms load) and later ones 100 ms. */
    private void learnLlava() {
        queue.enqueue(job("llava", "tag", "a1", "a2", "a3").withId("a"));
        queue.markRunning("a");
        queue.updateItem("a", "a1", COMPLETED, null, 2_100L);
        queue.updateItem("a", "a2", COMPLETED, null, 100L);
    }

    @Test
    void loadTimeIsLearnedFromTheFirstItemAfterASwitch() {
        learnLlava();
        assertThat(queue.estimateRemainingMs("a")).hasValue(100L);
        BatchEstimate running = queue.estimate("a").orElseThrow();
        assertThat(running.expectedStart()).isNull();
        assertThat(running.expectedFinish()).isEqualTo(clock.instant().plusMillis(100));
    }

    @Test
    void slotsSharingAModelShareItsJobsRemainingWork() {
        learnLlava();
        queue.enqueue(job("llava", "tag", "b1", "b2", "b3", "b4", "b5", "b6").withId("b"));
        assertThat(queue.estimateRemainingMs("b")).as("one runtime").hasValue(600L);

        queue.executor().setSlotsServing(model -> model.equals("llava") ? 3 : 1);
        assertThat(queue.estimateRemainingMs("b")).as("six items on three slots").hasValue(200L);
        assertThat(queue.estimate("b").orElseThrow().remainingMs()).isEqualTo(200L);
        assertThat(queue.estimateRemainingMs("a")).as("one item left: one slot can work on it").hasValue(100L);

        queue.enqueue(job("llava", "tag", "c1").withId("c"));
        assertThat(queue.estimate("c").orElseThrow().expectedStart()).as("after a's 100 ms and b's 600 ms on 3 slots")
                .isEqualTo(clock.instant().plusMillis(300));

        queue.executor().setSlotsServing(null);
        assertThat(queue.estimateRemainingMs("b")).hasValue(600L);
        assertThat(queue.estimate("c").orElseThrow().expectedStart()).isEqualTo(clock.instant().plusMillis(700));
    }

    @Test
    void queuedJobStartsAfterTheWorkAheadAndTheLoadsBetween() {
        learnLlava();
        queue.enqueue(job("moondream", "tag", "m1").withId("moon"));
        queue.enqueue(job("llava", "tag", "c1", "c2").withId("c"));

        BatchEstimate c = queue.estimate("c").orElseThrow();
        assertThat(c.expectedStart()).isEqualTo(clock.instant().plusMillis(100));
        assertThat(c.remainingMs()).isEqualTo(200L);
        assertThat(c.expectedFinish()).isEqualTo(clock.instant().plusMillis(300));

        BatchEstimate moon = queue.estimate("moon").orElseThrow();
        assertThat(moon.expectedStart()).as("after a and c; moondream's load is not known yet")
                .isEqualTo(clock.instant().plusMillis(300));
        assertThat(moon.remainingMs()).as("nothing learned for moondream").isNull();
        assertThat(moon.expectedFinish()).isNull();
    }

    @Test
    void aRunningJobThatHasYetToLoadItsModelIncludesTheLoad() {
        learnLlava();
        queue.updateItem("a", "a3", COMPLETED, null, 100L);
        queue.markCompleted("a");
        queue.enqueue(job("moondream", "tag", "m1").withId("moon"));
        queue.markRunning("moon");
        queue.updateItem("moon", "m1", COMPLETED, null, 50L);
        queue.markCompleted("moon");

        queue.enqueue(job("llava", "tag", "z1", "z2").withId("z"));
        assertThat(queue.estimateRemainingMs("z")).as("queued: items only").hasValue(200L);
        assertThat(queue.estimate("z").orElseThrow().remainingMs()).as("plus the load it will need")
                .isEqualTo(2_200L);
        queue.markRunning("z");
        assertThat(queue.estimateRemainingMs("z")).as("started on another model: the load is ahead")
                .hasValue(2_200L);
    }

    @Test
    void timeSpentOnARunningItemIsTakenOffInWholeSeconds() {
        queue.enqueue(job("llava", "caption", "c1", "c2", "c3").withId("c"));
        queue.markRunning("c");
        queue.updateItem("c", "c1", COMPLETED, null, 10_000L);
        queue.updateItem("c", "c2", RUNNING, null, null);
        clock.advance(Duration.ofMillis(900));
        assertThat(queue.estimateRemainingMs("c")).as("under a second: exact").hasValue(20_000L);
        clock.advance(Duration.ofMillis(2_600));
        assertThat(queue.estimateRemainingMs("c")).as("3 whole seconds spent").hasValue(17_000L);
        clock.advance(Duration.ofSeconds(30));
        assertThat(queue.estimateRemainingMs("c")).as("overrunning: a small share is left").hasValue(10_500L);
    }

    @Test
    void finishedAndUnknownJobs() {
        learnLlava();
        queue.updateItem("a", "a3", COMPLETED, null, 100L);
        queue.markCompleted("a");
        BatchEstimate done = queue.estimate("a").orElseThrow();
        assertThat(done.remainingMs()).isZero();
        assertThat(done.expectedFinish()).isEqualTo(get("a").completedAt());
        assertThat(queue.estimate("nope")).isEmpty();
        assertThat(queue.estimate(null)).isEmpty();
    }

    @Test
    void confidenceAndSamplesReflectTheData() {
        learnLlava();
        BatchEstimate estimate = queue.estimate("a").orElseThrow();
        assertThat(estimate.sampleCount()).isEqualTo(2);
        assertThat(estimate.confidence()).isEqualTo(0.4);
    }
}

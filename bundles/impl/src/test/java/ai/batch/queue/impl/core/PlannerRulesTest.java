package ai.batch.queue.impl.core;

import static ai.batch.queue.BatchItemStatus.COMPLETED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

/** The planner's rules beyond the contract's order: the wait bound, priorities, moves, pause. */
class PlannerRulesTest extends QueueTestSupport {

    private final List<String> switchReasons = new CopyOnWriteArrayList<>();

    @BeforeEach
    void boundedQueue() {
        queue = new CoreBatchQueue(clock, new ModelAwarePlanner(Duration.ofSeconds(60)),
                (message, error) -> listenerFailures.add(error));
        queue.admin().listeners().add(events);
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
                switchReasons.add(job.id() + ": " + switchReason);
            }
        });
    }

    private String add(String id, String model) {
        return queue.enqueue(job(model, "tag", "a").withId(id));
    }

    private List<String> queuedOrder() {
        return queue.listJobs().stream().filter(job -> job.status() == BatchJobStatus.QUEUED).map(BatchJob::id)
                .toList();
    }

    @Test
    void jobWaitingLongerThanMaxWaitRunsNextAtTheCostOfAModelLoad() {
        add("llava-1", "llava");
        queue.markRunning("llava-1");
        add("moon", "moondream");
        clock.advanceSeconds(30);
        add("llava-2", "llava");
        assertThat(queuedOrder()).containsExactly("llava-2", "moon");

        clock.advanceSeconds(31); // moon has now waited 61 s: past the bound, with no other call in between

        assertThat(queue.nextQueued()).get().extracting(BatchJob::id).isEqualTo("moon");
        assertThat(queuedOrder()).containsExactly("moon", "llava-2");
        assertThat(get("moon").reordered()).isFalse(); // it was enqueued first: it passes nobody
        queue.updateItem("llava-1", "a", COMPLETED, null, 5L);
        queue.markCompleted("llava-1");
        assertThat(queue.executor().startNext(model -> true)).get().extracting(BatchJob::id).isEqualTo("moon");
        assertThat(switchReasons).last().asString()
                .isEqualTo("moon: job moon: it has waited longer than the maximum wait");
    }

    @Test
    void afterAnOverdueJobTheOtherJobsOfItsModelFollowWithoutAnotherLoad() {
        add("llava-1", "llava");
        queue.markRunning("llava-1");
        add("moon-1", "moondream");
        clock.advanceSeconds(50);
        add("llava-2", "llava");
        add("moon-2", "moondream");
        clock.advanceSeconds(11);
        assertThat(queuedOrder()).containsExactly("moon-1", "moon-2", "llava-2");
        assertThat(get("moon-2").reorderNote()).contains("is already loaded");
    }

    @Test
    void higherPriorityGroupRunsBeforeTheLoadedModel() {
        add("llava-1", "llava");
        queue.markRunning("llava-1");
        add("llava-2", "llava");
        queue.enqueue(job("moondream", "tag", "a").withId("urgent").withPriority(JobPriority.HIGH));
        assertThat(queuedOrder()).containsExactly("urgent", "llava-2");
        assertThat(get("urgent").priority()).isEqualTo(JobPriority.HIGH);
        assertThat(get("urgent").reorderNote()).endsWith("its priority is high");
    }

    @Test
    void lowPriorityWaitsBehindNormalJobsEvenOnTheLoadedModel() {
        add("llava-1", "llava");
        queue.markRunning("llava-1");
        queue.enqueue(job("llava", "tag", "a").withId("background").withPriority(JobPriority.LOW));
        add("moon", "moondream");
        assertThat(queuedOrder()).containsExactly("moon", "background");
    }

    @Test
    void higherPriorityRunsFirstInsideItsModelsGroup() {
        add("first", "llava");
        queue.enqueue(job("llava", "tag", "a").withId("important").withPriority(JobPriority.HIGH));
        assertThat(queuedOrder()).containsExactly("important", "first");
    }

    @Test
    void movedJobsRunFirstTheLatestMoveFirst() {
        add("a", "llava");
        add("b", "moondream");
        add("c", "bakllava");
        queue.moveToFront("b");
        queue.moveToFront("c");
        assertThat(queuedOrder()).containsExactly("c", "b", "a");
        assertThat(get("c").reorderNote()).endsWith("moved to the front on request");
        assertThat(events.lines()).contains("plan c,b,a");

        queue.markRunning("c");
        assertThat(queuedOrder()).containsExactly("b", "a");
    }

    @Test
    void moveToFrontAndSetPriorityRejectUnknownAndNonQueuedJobsChangingNothing() {
        add("a", "llava");
        add("run", "llava");
        queue.markRunning("run");
        assertRejected(() -> queue.moveToFront("nope"), NoSuchElementException.class, "nope");
        assertRejected(() -> queue.moveToFront("run"), IllegalStateException.class, "run", "RUNNING", "QUEUED");
        assertRejected(() -> queue.setPriority("nope", JobPriority.HIGH), NoSuchElementException.class, "nope");
        assertRejected(() -> queue.setPriority("run", JobPriority.HIGH), IllegalStateException.class, "run");
        assertRejected(() -> queue.setPriority("a", null), NullPointerException.class, "priority");
    }

    @Test
    void settingPriorityReplansAndSettingTheSameIsANoOp() {
        add("a", "llava");
        add("b", "moondream");
        queue.setPriority("b", JobPriority.HIGH);
        assertThat(queuedOrder()).containsExactly("b", "a");
        assertThat(get("b").priority()).isEqualTo(JobPriority.HIGH);
        assertNoOp(() -> queue.setPriority("b", JobPriority.HIGH));
    }

    @Test
    void pausedQueueStartsNothingUntilResumed() {
        add("a", "llava");
        queue.pause();
        queue.pause();
        assertThat(queue.isPaused()).isTrue();
        assertThat(queue.executor().startNext(model -> true)).isEmpty();
        assertThat(status("a")).isEqualTo(BatchJobStatus.QUEUED);
        queue.resume();
        queue.resume();
        assertThat(queue.isPaused()).isFalse();
        assertThat(queue.executor().startNext(model -> true)).get().extracting(BatchJob::id).isEqualTo("a");
    }

    @Test
    void switchReasonsSayWhyTheModelChanged() {
        add("a", "llava");
        queue.markRunning("a");
        add("b", "moondream");
        queue.updateItem("a", "a", COMPLETED, null, 5L);
        queue.markCompleted("a");
        queue.executor().startNext(model -> true);
        add("c", "llava");
        queue.updateItem("b", "a", COMPLETED, null, 5L);
        queue.markCompleted("b");
        queue.executor().startNext(model -> true);
        assertThat(switchReasons).containsExactly("a: first model to load",
                "b: no more queued jobs for 'llava'", "c: no more queued jobs for 'moondream'");
    }

    @Test
    void plannerRejectsANonPositiveMaxWait() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ModelAwarePlanner(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("planner.maxWaitMs");
    }
}

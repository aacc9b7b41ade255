package ai.batch.queue.sim.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.batch.queue.JobPriority;
import ai.batch.queue.impl.plan.JobPlanner;
import ai.batch.queue.impl.plan.Plan;
import ai.batch.queue.impl.plan.PlanContext;
import ai.batch.queue.impl.plan.PlanEntry;
import ai.batch.queue.impl.plan.PlanReason;

class BaselinePlannersTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    record Entry(String resourceKey, long enqueueSeq, Instant waitingSince, JobPriority priority, long frontRank)
            implements PlanEntry {
        Entry(String resourceKey, long enqueueSeq) {
            this(resourceKey, enqueueSeq, NOW, JobPriority.NORMAL, 0);
        }

        @Override
        public String toString() {
            return resourceKey + "#" + enqueueSeq;
        }
    }

    private static List<String> order(JobPlanner planner, String loaded, int inARow, Entry... queued) {
        Plan<Entry> plan = planner.plan(List.of(queued), new PlanContext(loaded, inARow, NOW));
        assertThat(plan.reasons()).hasSameSizeAs(plan.order()).allMatch(reason -> reason == PlanReason.ORDER);
        assertThat(plan.validUntil()).isNull();
        return plan.order().stream().map(Entry::toString).toList();
    }

    @Test
    void alphabeticalSortsByNameKeepingEnqueueOrderAndIgnoresTheLoadedModel() {
        assertThat(order(new AlphabeticalPlanner(), "moondream", 1, new Entry("moondream", 5),
                new Entry("llava:13b", 2), new Entry("bakllava", 9), new Entry("llava:13b", 1)))
                .containsExactly("bakllava#9", "llava:13b#1", "llava:13b#2", "moondream#5");
    }

    @Test
    void fifoKeepsEnqueueOrderWhateverTheModel() {
        assertThat(order(new FifoPlanner(), "b", 1, new Entry("b", 3), new Entry("a", 1), new Entry("b", 2)))
                .containsExactly("a#1", "b#2", "b#3");
    }

    @Test
    void stayOnModelRunsTheLoadedModelsOldestJobWhileFewerThanThreeRanInARow() {
        assertThat(order(new StayOnModelPlanner(), "b", 1, new Entry("a", 1), new Entry("b", 2),
                new Entry("b", 3), new Entry("b", 4), new Entry("a", 5)))
                // b ran once: two more b jobs, then the oldest overall (a#1), then a again (a#5), then b#4
                .containsExactly("b#2", "b#3", "a#1", "a#5", "b#4");
    }

    @Test
    void stayOnModelTakesTheOldestJobOnceThreeRanInARow() {
        assertThat(order(new StayOnModelPlanner(), "b", 3, new Entry("a", 1), new Entry("b", 2)))
                .containsExactly("a#1", "b#2");
    }

    @Test
    void stayOnModelCountsTheOldestJobAsTheFourthInARowWhenItUsesTheLoadedModel() {
        assertThat(order(new StayOnModelPlanner(), "b", 3, new Entry("b", 1), new Entry("a", 2),
                new Entry("b", 3))).containsExactly("b#1", "a#2", "b#3");
    }

    @Test
    void stayOnModelWithNothingLoadedOrNoJobForItTakesTheOldest() {
        assertThat(order(new StayOnModelPlanner(), null, 0, new Entry("b", 2), new Entry("a", 1)))
                .containsExactly("a#1", "b#2");
        assertThat(order(new StayOnModelPlanner(), "c", 1, new Entry("b", 2), new Entry("a", 1)))
                .containsExactly("a#1", "b#2");
    }

    @Test
    void emptyQueueGivesAnEmptyPlan() {
        for (JobPlanner planner : List.of(new AlphabeticalPlanner(), new FifoPlanner(), new StayOnModelPlanner())) {
            assertThat(order(planner, "a", 1)).isEmpty();
        }
    }
}

package ai.batch.queue.impl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.plan.JobPlanner;
import ai.batch.queue.impl.plan.ModelAwarePlanner;
import ai.batch.queue.impl.plan.Plan;
import ai.batch.queue.impl.plan.PlanContext;
import ai.batch.queue.impl.plan.PlanEntry;

/**
 * The constant-time planning cases (a job joining the last group, the first job starting on the loaded model)
 * give exactly the plan a full re-plan gives: two queues take the same random operations, one planning every
 * change in full, and must agree on the order, the reasons and the reorder notes after every step.
 */
class IncrementalPlanTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** The same rules, but not recognised as {@link ModelAwarePlanner}: every change is planned in full. */
    private static final class FullPlanner implements JobPlanner {
        private final ModelAwarePlanner rules = new ModelAwarePlanner(MAX_WAIT);

        @Override
        public <J extends PlanEntry> Plan<J> plan(List<J> queued, PlanContext context) {
            return rules.plan(queued, context);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void incrementalPlanningMatchesFullPlanning(long seed) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        CoreBatchQueue fast = new CoreBatchQueue(clock, new ModelAwarePlanner(MAX_WAIT), IncrementalPlanTest::listenerFailed);
        CoreBatchQueue full = new CoreBatchQueue(clock, new FullPlanner(), IncrementalPlanTest::listenerFailed);
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>();
        String running = null;
        for (int step = 0; step < 600; step++) {
            clock.advance(Duration.ofMillis(random.nextInt(400)));
            int op = random.nextInt(100);
            if (op < 55) {
                // mostly one model and normal priority, so that the constant-time case is common
                String model = random.nextInt(4) == 0 ? "m" + random.nextInt(3) : "m0";
                JobPriority priority = random.nextInt(6) == 0 ? JobPriority.values()[random.nextInt(3)]
                        : JobPriority.NORMAL;
                String id = "j" + step;
                for (CoreBatchQueue queue : List.of(fast, full)) {
                    queue.enqueue(BatchJob.of(model, "tag", OverwritePolicy.OVERWRITE,
                            List.of(BatchItem.of("i", "x", SizeBucket.SMALL))).withId(id).withPriority(priority));
                }
                ids.add(id);
            } else if (op < 85) {
                if (running != null) {
                    String done = running;
                    both(fast, full, queue -> queue.markCompleted(done));
                    running = null;
                }
                running = fast.executor().startNext(model -> true).map(BatchJob::id).orElse(null);
                String expected = full.executor().startNext(model -> true).map(BatchJob::id).orElse(null);
                assertThat(running).isEqualTo(expected);
            } else if (op < 92 && !ids.isEmpty()) {
                String id = queuedJob(full, ids, random);
                if (id != null) {
                    both(fast, full, queue -> queue.moveToFront(id));
                }
            } else if (!ids.isEmpty()) {
                String id = queuedJob(full, ids, random);
                if (id != null) {
                    JobPriority priority = JobPriority.values()[random.nextInt(3)];
                    both(fast, full, queue -> queue.setPriority(id, priority));
                }
            }
            assertSamePlan(fast, full, step);
        }
    }

    private static void listenerFailed(String message, Throwable error) {
        throw new AssertionError(message, error);
    }

    private static String queuedJob(CoreBatchQueue queue, List<String> ids, Random random) {
        String id = ids.get(random.nextInt(ids.size()));
        return queue.executor().jobStatus(id).orElse(null) == BatchJobStatus.QUEUED ? id : null;
    }

    private static void both(CoreBatchQueue fast, CoreBatchQueue full, java.util.function.Consumer<CoreBatchQueue> op) {
        op.accept(fast);
        op.accept(full);
    }

    private static void assertSamePlan(CoreBatchQueue fast, CoreBatchQueue full, int step) {
        List<String> fastPlan = describe(fast);
        List<String> fullPlan = describe(full);
        assertThat(fastPlan).as("plan after step %d", step).isEqualTo(fullPlan);
    }

    private static List<String> describe(CoreBatchQueue queue) {
        return queue.inspect(state -> {
            List<String> lines = new ArrayList<>();
            for (JobRecord record : state.plan().jobs()) {
                lines.add(record.id() + " " + record.planReason() + " " + record.reordered() + " "
                        + record.reorderNote());
            }
            return lines;
        });
    }
}

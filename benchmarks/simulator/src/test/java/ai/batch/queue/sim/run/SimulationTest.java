package ai.batch.queue.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.sim.policy.Policy;
import ai.batch.queue.sim.trace.JobSpec;
import ai.batch.queue.sim.trace.ModelSpec;
import ai.batch.queue.sim.trace.Trace;

class SimulationTest {

    private static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private static ModelSpec model(String name, long loadMs, long itemMs, double failureRate) {
        return new ModelSpec(name, loadMs, Map.of(SizeBucket.MEDIUM, itemMs), 0, failureRate);
    }

    private static JobSpec job(String id, long at, String model, int items) {
        return new JobSpec(id, at, model, "tag", java.util.Collections.nCopies(items, SizeBucket.MEDIUM));
    }

    private static RunResult run(Trace trace, Policy policy) {
        return new Simulation(trace, policy, MAX_WAIT, 42).run();
    }

    private static Trace readmeLike() {
        return new Trace("t", "", Map.of("a", model("a", 1000, 100, 0), "b", model("b", 500, 50, 0)),
                List.of(job("a1", 0, "a", 2), job("b1", 0, "b", 2), job("a2", 0, "a", 2)), 0);
    }

    @Test
    void firstItemAfterASwitchTakesTheLoadTime() {
        RunResult fifo = run(readmeLike(), Policy.standard(MAX_WAIT).get(2));
        RunResult ours = run(readmeLike(), Policy.ours(MAX_WAIT));

        assertThat(fifo.loads()).isEqualTo(3);
        assertThat(fifo.makespanMs()).isEqualTo(1000 + 200 + 500 + 100 + 1000 + 200);
        assertThat(ours.loads()).isEqualTo(2);
        assertThat(ours.makespanMs()).isEqualTo(1000 + 200 + 200 + 500 + 100);
        assertThat(ours.lowerBound()).isEqualTo(2);
        assertThat(ours.waits()).containsExactly(0, 1400, 1200); // a1, b1 after a1 and a2, a2 after a1
    }

    @Test
    void idleGapsSplitTheRunIntoBusyPeriods() {
        Trace trace = new Trace("t", "", Map.of("a", model("a", 1000, 100, 0), "b", model("b", 500, 50, 0)),
                List.of(job("a1", 0, "a", 1), job("b1", 10_000, "b", 1), job("a2", 20_000, "a", 1),
                        job("a3", 20_000, "a", 1)), 0);

        RunResult result = run(trace, Policy.ours(MAX_WAIT));

        assertThat(result.log().periods()).hasSize(3);
        assertThat(result.log().periods()).extracting(BusyPeriod::loads).containsExactly(1, 1, 1);
        assertThat(result.lowerBound()).isEqualTo(3);
        assertThat(result.log().periods().get(1).startMs()).isEqualTo(10_000);
        assertThat(result.log().periods().get(1).endMs()).isEqualTo(10_000 + 550);
    }

    @Test
    void failedItemsAreRetriedUpToTheTracesRounds() {
        Trace trace = new Trace("t", "", Map.of("a", model("a", 0, 100, 1.0)), List.of(job("a1", 0, "a", 3)), 2);

        RunResult result = run(trace, Policy.ours(MAX_WAIT));

        assertThat(result.log().runs()).extracting(JobRun::attempt).containsExactly(0, 1, 2);
        assertThat(result.makespanMs()).isEqualTo(3 * 300);
        assertThat(result.waits()).containsExactly(0); // a retry is not a new job
    }

    @Test
    void retriesRerunOnlyTheFailedItems() {
        Trace trace = new Trace("t", "", Map.of("a", model("a", 0, 100, 0.5)), List.of(job("a1", 0, "a", 40)), 1);

        RunResult result = run(trace, Policy.ours(MAX_WAIT));

        JobRun retry = result.log().runs().get(1);
        long retried = (retry.endMs() - retry.startMs()) / 100;
        assertThat(retried).isBetween(5L, 35L);
        assertThat(result.makespanMs()).isEqualTo(4000 + retried * 100);
    }

    @Test
    void aRunIsExactlyRepeatable() {
        Trace trace = new Trace("t", "", Map.of("a", new ModelSpec("a", 700, Map.of(SizeBucket.SMALL, 90L,
                SizeBucket.LARGE, 300L), 0.2, 0.2)), List.of(new JobSpec("j", 0, "a", "tag",
                        List.of(SizeBucket.SMALL, SizeBucket.LARGE, SizeBucket.SMALL, SizeBucket.LARGE))), 3);

        RunResult first = run(trace, Policy.ours(MAX_WAIT));
        RunResult second = run(trace, Policy.ours(MAX_WAIT));

        assertThat(second.makespanMs()).isEqualTo(first.makespanMs());
        assertThat(second.log().checkpoints()).extracting(RunLog.Checkpoint::queueMs)
                .isEqualTo(first.log().checkpoints().stream().map(RunLog.Checkpoint::queueMs).toList());
    }

    @Test
    void checkpointsCompareBothEstimatorsWithTheRealRemainingTime() {
        Trace trace = new Trace("t", "", Map.of("a", model("a", 1000, 100, 0)), List.of(job("a1", 0, "a", 4)), 0);

        RunResult result = run(trace, Policy.ours(MAX_WAIT));

        // 1 of 4 done reaches 10% and 25%; 2 of 4 reaches 50%; 3 of 4 reaches 75%
        assertThat(result.log().checkpoints()).extracting(RunLog.Checkpoint::percent).containsExactly(10, 25, 50, 75);
        RunLog.Checkpoint half = result.log().checkpoints().get(2);
        assertThat(half.actualMs()).isEqualTo(200);
        assertThat(half.queueMs()).isEqualTo(200); // 100 ms: the cold 1,100 ms less the learned 1,000 ms load, and the warm 100 ms
        assertThat(half.seedMs()).isEqualTo(2 * (1100 + 100) / 2); // lifetime mean includes the cold item
    }
}

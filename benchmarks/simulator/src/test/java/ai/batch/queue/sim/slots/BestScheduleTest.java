package ai.batch.queue.sim.slots;

import static ai.batch.queue.sim.slots.SlotBoundsTest.job;
import static ai.batch.queue.sim.slots.SlotBoundsTest.model;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.batch.queue.impl.plan.ClaimPolicy;
import ai.batch.queue.sim.trace.Trace;

class BestScheduleTest {

    @Test
    void findsTheOptimumOfThreeIndivisibleItemsOnTwoSlots() {
        Trace trace = new Trace("t", "t", Map.of("a", model("a", 0, 3000)), List.of(job("j", 0, "a", 3)), 0);
        List<ItemRun> runs = ItemRun.allOf(trace, 1);

        BestSchedule.Result best = BestSchedule.search(runs, Map.of("a", 0L), 2, Long.MAX_VALUE, 1_000_000);

        assertThat(best.exhaustive()).isTrue();
        assertThat(best.makespanMs()).isEqualTo(6000)
                .isEqualTo(SlotBounds.of(trace, runs, 2, List.of()).makespanMs());
    }

    @Test
    void loadingASecondCopyEarlyCanBeatThePolicy() {
        // a: 2 jobs of 3 items of 1 s, load 6 s; the policy keeps one copy (3 s left < 2 x 6 s) and ends at
        // 12 s; two copies loaded at once end at 9 s
        Trace trace = new Trace("t", "t", Map.of("a", model("a", 6000, 1000)),
                List.of(job("j1", 0, "a", 3), job("j2", 0, "a", 3)), 0);
        List<ItemRun> runs = ItemRun.allOf(trace, 1);
        SlotResult policy = new SlotSimulation(trace, 2, 3, ClaimPolicy.DEFAULT_STEAL_FACTOR, 1).run();

        BestSchedule.Result best = BestSchedule.search(runs, Map.of("a", 6000L), 2, policy.makespanMs(), 1_000_000);

        assertThat(policy.makespanMs()).isEqualTo(12_000);
        assertThat(best.makespanMs()).isEqualTo(9000).isEqualTo(policy.bounds().makespanMs());
    }

    @Test
    void waitsForAnArrivalWhenThatIsBest() {
        // a at 0: 1 item of 1 s (load 1 s); b at 1 s: 1 item of 1 s (load 1 s); 1 slot: 2 + 2 = 4 s
        Trace trace = new Trace("t", "t", Map.of("a", model("a", 1000, 1000), "b", model("b", 1000, 1000)),
                List.of(job("ja", 0, "a", 1), job("jb", 1000, "b", 1)), 0);
        BestSchedule.Result best = BestSchedule.search(ItemRun.allOf(trace, 1), Map.of("a", 1000L, "b", 1000L),
                1, Long.MAX_VALUE, 1_000_000);

        assertThat(best.makespanMs()).isEqualTo(4000);
    }
}

package ai.batch.queue.sim.slots;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.sim.trace.JobSpec;
import ai.batch.queue.sim.trace.ModelSpec;
import ai.batch.queue.sim.trace.Trace;

class SlotBoundsTest {

    static ModelSpec model(String name, long loadMs, long itemMs) {
        return new ModelSpec(name, loadMs, Map.of(SizeBucket.SMALL, itemMs), 0, 0);
    }

    static JobSpec job(String id, long at, String model, int items) {
        return new JobSpec(id, at, model, "tag", Collections.nCopies(items, SizeBucket.SMALL));
    }

    @Test
    void oneModelOnThreeSlotsPaysALoadOnEachAndSharesTheWork() {
        // 6 items of 1 s, load 5 s: on 3 slots (6 + 15) / 3 = 7 s; on 2 (6 + 10) / 2 = 8 s; on 1, 11 s
        assertThat(SlotBounds.modelBound(times(1000, 1000, 1000, 1000, 1000, 1000), 3, 5000, 0)).isEqualTo(7000);
        assertThat(SlotBounds.modelBound(times(1000, 1000, 1000, 1000, 1000, 1000), 1, 5000, 0)).isEqualTo(11000);
    }

    @Test
    void indivisibleItemsMakeTwoOfTheLongestShareASlot() {
        // three 3 s items on 2 slots: the average says 4.5 s, but two items share a slot: 6 s
        assertThat(SlotBounds.modelBound(times(3000, 3000, 3000), 2, 0, 0)).isEqualTo(6000);
        // the longest item with its load: one 10 s item and small ones on 4 slots
        assertThat(SlotBounds.modelBound(times(10_000, 100, 100), 4, 2000, 0)).isEqualTo(12_000);
    }

    @Test
    void aModelHeldAtTheStartNeedsNoLoadOnItsSlot() {
        // two 1 s items, load 5 s, one slot holds the model: both on that slot, 2 s
        assertThat(SlotBounds.modelBound(times(1000, 1000), 2, 5000, 1)).isEqualTo(2000);
    }

    @Test
    void theWorkBoundCountsOnlyWhatArrivesAfterEachInstant() {
        // a: 2 items of 1 s at 0 (load 1 s); b: 4 items of 1 s at 10 s (load 2 s); 2 slots
        Trace trace = new Trace("t", "t", Map.of("a", model("a", 1000, 1000), "b", model("b", 2000, 1000)),
                List.of(job("ja", 0, "a", 2), job("jb", 10_000, "b", 4)), 0);
        SlotBounds.Bounds bounds = SlotBounds.of(trace, ItemRun.allOf(trace, 1), 2, List.of());
        // at 10 s: 10 + (4 + 2) / 2 = 13 s; model b: 10 + min(k=1: 6, k=2: max((4 + 4) / 2, 3, 2 + 2)) = 14 s
        assertThat(bounds.workBoundMs()).isEqualTo(13_000);
        assertThat(bounds.modelBoundMs()).isEqualTo(14_000);
        assertThat(bounds.makespanMs()).isEqualTo(14_000);
        assertThat(bounds.binding()).isEqualTo("model b");
        assertThat(bounds.loads()).isEqualTo(2);
        // a model a slot holds at the start needs no load
        assertThat(SlotBounds.of(trace, ItemRun.allOf(trace, 1), 2, Arrays.asList(null, "b")).loads()).isEqualTo(1);
    }

    @Test
    void retriesAreWorkTheBoundsCount() {
        ModelSpec flaky = new ModelSpec("f", 0, Map.of(SizeBucket.SMALL, 1000L), 0, 1.0);
        Trace trace = new Trace("t", "t", Map.of("f", flaky), List.of(job("j", 0, "f", 2)), 2);
        List<ItemRun> runs = ItemRun.allOf(trace, 1);
        assertThat(runs).hasSize(6); // every attempt fails: attempts 0, 1, 2 of 2 items
        assertThat(SlotBounds.of(trace, runs, 1, List.of()).makespanMs()).isEqualTo(6000);
    }

    private static List<Long> times(long... ms) {
        return Arrays.stream(ms).boxed().toList();
    }
}

package ai.batch.queue.sim.slots;

import static ai.batch.queue.sim.slots.SlotBoundsTest.job;
import static ai.batch.queue.sim.slots.SlotBoundsTest.model;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.batch.queue.impl.plan.ClaimPolicy;
import ai.batch.queue.sim.Options;
import ai.batch.queue.sim.SimulatorMain;
import ai.batch.queue.sim.policy.Policy;
import ai.batch.queue.sim.run.RunResult;
import ai.batch.queue.sim.run.Simulation;
import ai.batch.queue.sim.trace.Trace;

class SlotSimulationTest {

    private static final Options QUICK = Options.parse("--quick", "--slots");
    private static final double K = ClaimPolicy.DEFAULT_STEAL_FACTOR;

    private static Trace generated(String name) {
        return SimulatorMain.generator(QUICK).all().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"readme", "bursty", "steady", "zipf", "retry"})
    void everyItemRunRunsExactlyOnceAndNoSlotRunsTwoBatchesAtOnce(String name) {
        Trace trace = generated(name);
        List<String> expected = ItemRun.allOf(trace, QUICK.seed()).stream().map(ItemRun::key).sorted().toList();
        for (SlotResult result : SlotReport.run(trace, QUICK)) {
            List<String> ran = new ArrayList<>();
            long[] free = new long[result.slots()];
            for (SlotResult.Batch batch : result.batches()) {
                batch.runs().forEach(run -> ran.add(run.key()));
                assertThat(batch.startMs()).as("%s on %d slots", name, result.slots())
                        .isGreaterThanOrEqualTo(free[batch.slot()]);
                free[batch.slot()] = batch.endMs();
                assertThat(batch.runs()).allMatch(run -> run.model().equals(batch.model()))
                        .allMatch(run -> run.arrivalMs() <= batch.startMs());
                assertThat(batch.runs()).hasSizeLessThanOrEqualTo(QUICK.batch());
            }
            assertThat(ran.stream().sorted().toList()).as("%s on %d slots", name, result.slots())
                    .isEqualTo(expected);
            assertThat(result.workMs()).isEqualTo(ItemRun.allOf(trace, QUICK.seed()).stream()
                    .mapToLong(ItemRun::ms).sum());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"readme", "bursty", "steady", "zipf", "retry"})
    void loadsAreCountedPerSlotAndNoResultBeatsItsBounds(String name) {
        for (SlotResult result : SlotReport.run(generated(name), QUICK)) {
            int[] perSlot = new int[result.slots()];
            String[] held = new String[result.slots()];
            for (SlotResult.Batch batch : result.batches()) {
                boolean switches = !batch.model().equals(held[batch.slot()]);
                if (switches) {
                    assertThat(batch.kind()).isIn(ClaimPolicy.Kind.COLD, ClaimPolicy.Kind.STEAL);
                } else {
                    assertThat(batch.loadMs()).isZero();
                    assertThat(batch.kind()).isEqualTo(ClaimPolicy.Kind.STAY);
                }
                if (switches) {
                    perSlot[batch.slot()]++;
                }
                held[batch.slot()] = batch.model();
            }
            assertThat(result.loadsPerSlot()).isEqualTo(Arrays.stream(perSlot).boxed().toList());
            assertThat(result.loads()).isEqualTo(Arrays.stream(perSlot).sum())
                    .isEqualTo(result.claims(ClaimPolicy.Kind.COLD) + result.claims(ClaimPolicy.Kind.STEAL))
                    .isGreaterThanOrEqualTo(result.bounds().loads());
            assertThat(result.makespanMs()).isGreaterThanOrEqualTo(result.bounds().makespanMs());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"readme", "bursty", "steady", "zipf", "retry"})
    void oneSlotLoadsAsOftenAsTheSequentialQueueWithoutAging(String name) {
        Trace trace = generated(name);
        Duration noAging = Duration.ofDays(365);
        RunResult sequential = new Simulation(trace, Policy.ours(noAging), noAging, QUICK.seed()).run();
        SlotResult oneSlot = new SlotSimulation(trace, 1, QUICK.batch(), K, QUICK.seed()).run();

        assertThat(oneSlot.loads()).isEqualTo(sequential.loads());
    }

    @Test
    void twoModelsOnTwoSlotsLoadOnceEach() {
        // a: 4 items of 1 s (load 2 s); b: 4 items of 1 s (load 1 s): each slot takes one, work too small to steal
        Trace trace = new Trace("t", "t", Map.of("a", model("a", 2000, 1000), "b", model("b", 1000, 1000)),
                List.of(job("ja", 0, "a", 4), job("jb", 0, "b", 4)), 0);
        SlotResult result = new SlotSimulation(trace, 2, 2, K, 1).run();

        assertThat(result.loadsPerSlot()).containsExactly(1, 1);
        assertThat(result.makespanMs()).isEqualTo(6000);
        assertThat(result.batches()).extracting(SlotResult.Batch::kind).containsExactly(ClaimPolicy.Kind.COLD,
                ClaimPolicy.Kind.COLD, ClaimPolicy.Kind.STAY, ClaimPolicy.Kind.STAY);
        // the work bound: (8 s of items + 3 s of loads) / 2; model a alone: 2 + 4 s on one slot, but split over
        // two 4 s, so the bound (5.5 s) stays below what this trace allows (6 s)
        assertThat(result.bounds().makespanMs()).isEqualTo(5500);
        assertThat(result.bounds().binding()).isEqualTo("work");
    }

    @Test
    void aModelHeldAtTheStartIsNotLoadedAgain() {
        Trace trace = new Trace("t", "t", Map.of("a", model("a", 2000, 1000), "b", model("b", 1000, 1000)),
                List.of(job("ja", 0, "a", 4), job("jb", 0, "b", 4)), 0);
        SlotResult result = new SlotSimulation(trace, 2, 2, K, 1, Arrays.asList(null, "a")).run();

        assertThat(result.loadsPerSlot()).containsExactly(1, 0);
        assertThat(result.bounds().loads()).isEqualTo(1);
        assertThat(result.makespanMs()).isEqualTo(5000);
    }

    @Test
    void twoIdleSlotsNeverLoadOneColdModelAtOnce() {
        // 3 items of 1 s, load 5 s: a second copy is not worth it, so two of three slots stay idle
        Trace trace = new Trace("t", "t", Map.of("a", model("a", 5000, 1000)), List.of(job("ja", 0, "a", 3)), 0);
        SlotResult result = new SlotSimulation(trace, 3, 1, K, 1).run();

        assertThat(result.loads()).isEqualTo(1);
        assertThat(result.batches()).allMatch(batch -> batch.slot() == 0);
        assertThat(result.makespanMs()).isEqualTo(8000);
    }

    @Test
    void retriedItemsRunAgainAfterTheirRound() {
        ai.batch.queue.sim.trace.ModelSpec flaky = new ai.batch.queue.sim.trace.ModelSpec("f", 100,
                Map.of(ai.batch.queue.SizeBucket.SMALL, 1000L), 0, 1.0);
        Trace trace = new Trace("t", "t", Map.of("f", flaky), List.of(job("j", 0, "f", 2)), 2);
        SlotResult result = new SlotSimulation(trace, 2, 1, K, 1).run();

        assertThat(result.batches()).flatExtracting(SlotResult.Batch::runs).extracting(ItemRun::attempt)
                .containsExactly(0, 0, 1, 1, 2, 2);
        assertThat(result.workMs()).isEqualTo(6000);
    }

    @Test
    void scenarioTargets() {
        Options options = Options.parse("--slots");
        List<SlotResult> one = SlotReport.run(SlotScenarios.oneModel(), options);
        assertThat((double) one.get(0).makespanMs() / one.get(2).makespanMs()).isGreaterThanOrEqualTo(2.7);

        SlotResult five = SlotReport.run(SlotScenarios.fiveModels(options.seed()), options).get(2);
        assertThat(five.slots()).isEqualTo(3);
        assertThat(five.loads()).isLessThanOrEqualTo(5 + 3);
        assertThat(five.makespanRatio()).isLessThanOrEqualTo(1.15);
    }

    @Test
    void theReportHasTheSummaryTheScenariosAndTheSearch() {
        String report = SimulatorMain.report(QUICK);

        assertThat(report).contains("## Summary", "| readme | 3 |", "| zipf | 4 |", "## Scenarios",
                "(a) one model", "(b) five models", "## Small traces: best schedule by exhaustive search");
        assertThat(report).isEqualTo(SimulatorMain.report(QUICK));
    }
}

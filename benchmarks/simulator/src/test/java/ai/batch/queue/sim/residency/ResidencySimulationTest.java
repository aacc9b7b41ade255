package ai.batch.queue.sim.residency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.sim.Options;
import ai.batch.queue.sim.SimulatorMain;
import ai.batch.queue.sim.trace.JobSpec;
import ai.batch.queue.sim.trace.ModelSpec;
import ai.batch.queue.sim.trace.Trace;

class ResidencySimulationTest {

    private static final Map<String, ResidencyReport.TraceResults> RUNS = new ConcurrentHashMap<>();

    /** keepWarm 0: the runtime of (c) keeps its models as long as the runtime of (b) does. */
    private static final Options SAME_RETENTION = Options.parse("--residency", "--keep-warm-ms", "0");
    private static final Options DEFAULTS = Options.parse("--residency");

    private static ResidencyReport.TraceResults results(Options options, String traceName) {
        return RUNS.computeIfAbsent(options.keepWarmMs() + "/" + traceName, key -> ResidencyReport.run(
                trace(options, traceName), options));
    }

    private static Trace trace(Options options, String traceName) {
        return SimulatorMain.generator(options).all().stream().filter(trace -> trace.name().equals(traceName))
                .findFirst().orElseThrow();
    }

    private static ResidencyResult result(Options options, String trace, int capacity, Scheduler scheduler) {
        List<ResidencyResult> row = results(options, trace).byCapacity()
                .get(ResidencyReport.CAPACITIES.indexOf(capacity));
        return row.get(scheduler.ordinal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"readme", "bursty", "steady", "zipf", "retry"})
    void residencyNeverMakesTheWorkWaitForMoreLoadsThanTheQueueAlone(String trace) {
        // Making room for a preload may unload a model that comes back later: an extra load, but one that
        // overlaps work. The loads the work waits for (all but the preloads) never outnumber the queue's alone.
        for (int capacity : ResidencyReport.CAPACITIES) {
            ResidencyResult residency = result(SAME_RETENTION, trace, capacity, Scheduler.QUEUE_RESIDENCY);
            assertThat(residency.loads() - residency.preloads()).as("%s, capacity %d", trace, capacity)
                    .isLessThanOrEqualTo(result(SAME_RETENTION, trace, capacity, Scheduler.QUEUE).loads());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"readme", "bursty", "steady", "zipf", "retry"})
    void withRoomForTwoModelsResidencyFinishesNoLaterThanTheQueueAlone(String trace) {
        assertThat(result(SAME_RETENTION, trace, 2, Scheduler.QUEUE_RESIDENCY).makespanMs())
                .isLessThanOrEqualTo(result(SAME_RETENTION, trace, 2, Scheduler.QUEUE).makespanMs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"readme", "bursty", "steady", "zipf", "retry"})
    void boundsHoldForEverySchedulerAndTheWorkIsTheSame(String trace) {
        for (Options options : List.of(SAME_RETENTION, DEFAULTS)) {
            for (List<ResidencyResult> row : results(options, trace).byCapacity()) {
                for (ResidencyResult result : row) {
                    assertThat(result.loads()).as("%s", result).isGreaterThanOrEqualTo(result.lowerBound());
                    assertThat(result.makespanMs()).as("%s", result).isGreaterThanOrEqualTo(result.referenceMs());
                    assertThat(result.workMs()).isEqualTo(row.get(0).workMs());
                }
            }
        }
    }

    @Test
    void withCapacityOneNothingIsPreloadedAndResidencyChangesNothing() {
        for (String trace : List.of("bursty", "zipf", "retry")) {
            ResidencyResult queue = result(DEFAULTS, trace, 1, Scheduler.QUEUE);
            ResidencyResult residency = result(DEFAULTS, trace, 1, Scheduler.QUEUE_RESIDENCY);
            assertThat(residency.preloads()).isZero();
            assertThat(residency.loads()).isEqualTo(queue.loads());
            assertThat(residency.makespanMs()).isEqualTo(queue.makespanMs());
        }
    }

    @Test
    void sameSeedSameNumbers() {
        Options quick = Options.parse("--residency", "--quick");
        for (String name : List.of("bursty", "steady", "zipf")) {
            Trace trace = trace(quick, name);
            assertThat(ResidencyReport.run(trace, quick)).isEqualTo(ResidencyReport.run(trace, quick));
        }
        assertThat(SimulatorMain.report(quick)).isEqualTo(SimulatorMain.report(quick))
                .contains("## Summary", "| zipf | 2 |", "(c) queue + residency");
    }

    @Test
    void aPreloadOverlapsTheRunningJobAndTeachesTheLoadTime() {
        // a: 4 items of 1 s; b: load 3 s, 1 item of 1 s. With room for both, b loads while a's items run.
        ModelSpec a = model("a", 2_000);
        ModelSpec b = model("b", 3_000);
        Trace trace = new Trace("two", "two models", Map.of("a", a, "b", b), List.of(
                new JobSpec("ja", 0, "a", "tag", List.of(SizeBucket.SMALL, SizeBucket.SMALL, SizeBucket.SMALL,
                        SizeBucket.SMALL)),
                new JobSpec("jb", 0, "b", "tag", List.of(SizeBucket.SMALL))), 0);
        ResidencyResult queue = new ResidencySimulation(trace, Scheduler.QUEUE, 2, Options.FULL_MAX_WAIT, 0, 1)
                .run();
        ResidencySimulation simulation = new ResidencySimulation(trace, Scheduler.QUEUE_RESIDENCY, 2,
                Options.FULL_MAX_WAIT, 0, 1);
        ResidencyResult residency = simulation.run();

        assertThat(queue.makespanMs()).isEqualTo(2_000 + 4_000 + 3_000 + 1_000);
        assertThat(residency.preloads()).isEqualTo(1);
        assertThat(residency.makespanMs()).isEqualTo(2_000 + 4_000 + 1_000);
        assertThat(residency.makespanMs()).isEqualTo(residency.referenceMs());
        assertThat(simulation.runtime().readyModels()).isEqualTo(Set.of("a", "b"));
    }

    @Test
    void lowerBoundCountsWhatTheRuntimeHoldsAtAPeriodsStart() {
        // Capacity 1 reproduces the planner report's LB: the loaded model is free only if queued at once.
        assertThat(Bounds.lowerBound(Set.of("a", "b"), Set.of("a"), Set.of("a"), 1)).isEqualTo(1);
        assertThat(Bounds.lowerBound(Set.of("a", "b"), Set.of("a"), Set.of("b"), 1)).isEqualTo(2);
        // Capacity 2: both held models are free while the first start does not have to evict one of them.
        assertThat(Bounds.lowerBound(Set.of("a", "b", "c"), Set.of("a", "b"), Set.of("a"), 2))
                .isEqualTo(1);
        assertThat(Bounds.lowerBound(Set.of("a", "b", "c"), Set.of("a", "b"), Set.of("c"), 2))
                .isEqualTo(2);
        assertThat(Bounds.lowerBound(Set.of("a", "c"), Set.of("a", "b"), Set.of("c"), 2))
                .isEqualTo(1);
    }

    @Test
    void johnsonsRuleOrdersLoadsAgainstWork() {
        // {load, work}: loading the model with the short load first lets its work hide the longer load.
        assertThat(Bounds.johnson(new ArrayList<>(List.of(new long[] {6_000, 1_000},
                new long[] {1_000, 6_000})))).isEqualTo(1_000 + 6_000 + 1_000);
    }

    private static ModelSpec model(String name, long loadMs) {
        return new ModelSpec(name, loadMs, Map.of(SizeBucket.SMALL, 1_000L), 0, 0);
    }
}

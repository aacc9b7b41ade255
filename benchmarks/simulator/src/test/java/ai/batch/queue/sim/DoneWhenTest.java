package ai.batch.queue.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import ai.batch.queue.sim.run.JobRun;
import ai.batch.queue.sim.run.RunResult;
import ai.batch.queue.sim.run.WaitBoundCheck;

/**
 * The "Done when" conditions, over the generated traces of both the quick and the full mode (the full
 * mode is the published table). Each assertion compares the real planner's and estimator's numbers with a fixed
 * target, so a regression in the core fails it.
 */
class DoneWhenTest {

    static Stream<Arguments> tracesWithAttainableBound() {
        return Stream.of(true, false).flatMap(quick -> Stream.of("readme", "bursty", "steady", "retry")
                .map(trace -> Arguments.of(quick, trace)));
    }

    static Stream<Arguments> allTraces() {
        return Stream.of(true, false).flatMap(quick -> GeneratedRuns.TRACES.stream()
                .map(trace -> Arguments.of(quick, trace)));
    }

    @ParameterizedTest(name = "quick={0} {1}")
    @MethodSource("tracesWithAttainableBound")
    void oursLoadsEqualTheLowerBoundWhereTheWaitBoundDoesNotBind(boolean quick, String trace) {
        RunResult ours = GeneratedRuns.ours(quick, trace);

        assertThat(ours.unboundLoads()).as("loads in periods where the bound does not bind")
                .isEqualTo(ours.unboundLowerBound());
    }

    @ParameterizedTest(name = "quick={0} {1}")
    @MethodSource("allTraces")
    void oursNeverLeavesQueuedJobsOfTheLoadedModelWhereTheWaitBoundDoesNotBind(boolean quick, String trace) {
        assertThat(GeneratedRuns.ours(quick, trace).unboundNeedlessSwitches()).isZero();
    }

    @ParameterizedTest(name = "quick={0}")
    @ValueSource(booleans = {true, false})
    void noWaitExceedsTheBoundOnTheSteadyStream(boolean quick) {
        RunResult ours = GeneratedRuns.ours(quick, "steady");
        WaitBoundCheck bound = ours.waitBound();

        assertThat(ours.boundBinds()).as("the trace exercises the bound").isTrue();
        assertThat(bound.simpleViolations()).as("waits above maxWait + the job running at the deadline: "
                + bound.worst()).isZero();
        assertThat(bound.orderViolations()).as("younger jobs started after an overdue job's deadline").isZero();
        long longestRun = ours.log().runs().stream().mapToLong(run -> run.endMs() - run.startMs()).max()
                .orElseThrow();
        assertThat(ours.maxWaitMs()).isLessThanOrEqualTo(ours.policy().boundMs() + longestRun);
    }

    @ParameterizedTest(name = "quick={0}")
    @ValueSource(booleans = {true, false})
    void theSeedsAlphabeticalSortStarvesAJobOnTheSteadyStream(boolean quick) {
        RunResult alphabetical = GeneratedRuns.policy(quick, "steady", "seed: alphabetical");
        long maxWaitMs = GeneratedRuns.options(quick).maxWait().toMillis();
        long longestRun = alphabetical.log().runs().stream().mapToLong(run -> run.endMs() - run.startMs()).max()
                .orElseThrow();

        assertThat(alphabetical.maxWaitMs()).isGreaterThan(2 * maxWaitMs + longestRun);
        JobRun starved = alphabetical.log().runs().stream().max(java.util.Comparator.comparingLong(JobRun::waitMs))
                .orElseThrow();
        assertThat(starved.job().model()).isNotEqualTo("llava:13b"); // a model whose name sorts late
    }

    /**
     * Fails with the current core: 17.0% at 25% progress (seed 42). The error comes from the estimator's cold
     * start: a size bucket whose only samples are cold (first item after a model load, load time included) is
     * estimated from those samples, so every remaining item of that size is expected to take the load again.
     */
    @Test
    void remainingTimeMapeAt25PercentIsAtMost10PercentOnTheBurstyTrace() {
        RunResult ours = GeneratedRuns.ours(false, "bursty");

        assertThat(ours.remainingQueue().get(25).percent()).isLessThanOrEqualTo(10.0);
    }

    @Test
    void theBurstyTraceComparesBothEstimatorsOnTheSameCheckpoints() {
        RunResult ours = GeneratedRuns.ours(false, "bursty");

        assertThat(ours.remainingQueue().get(25).samples()).isEqualTo(ours.remainingSeed().get(25).samples())
                .isGreaterThanOrEqualTo(20);
        assertThat(ours.remainingSeed().get(25).defined()).isTrue();
    }
}

package ai.batch.queue.sim.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.batch.queue.SizeBucket;

class MeasuresTest {

    @Test
    void seedEstimatorUsesTheLifetimeMeanThenUnknownThenZero() {
        SeedEstimator seed = new SeedEstimator();
        seed.record("m", "tag", SizeBucket.SMALL, 100);
        seed.record("m", "tag", SizeBucket.SMALL, 300);
        seed.record("m", "tag", SizeBucket.UNKNOWN, 50);
        seed.record("m", "caption", SizeBucket.LARGE, 999);

        assertThat(seed.remainingMs("m", "tag", List.of(SizeBucket.SMALL, SizeBucket.SMALL))).isEqualTo(400);
        assertThat(seed.remainingMs("m", "tag", List.of(SizeBucket.LARGE))).isEqualTo(50);
        assertThat(seed.remainingMs("m", "caption", List.of(SizeBucket.SMALL))).isZero();
        assertThat(seed.remainingMs("other", "tag", List.of(SizeBucket.SMALL))).isZero();
    }

    @Test
    void lowerBoundSparesTheLoadedModelOnlyIfItHasAJobAtTheFirstInstant() {
        BusyPeriod spared = new BusyPeriod(0, "a");
        spared.firstInstantModels.add("a");
        spared.models.addAll(List.of("a", "b", "c"));
        BusyPeriod switchedAway = new BusyPeriod(0, "a");
        switchedAway.firstInstantModels.add("b");
        switchedAway.models.addAll(List.of("b", "a"));
        BusyPeriod first = new BusyPeriod(0, null);
        first.firstInstantModels.add("a");
        first.models.add("a");

        assertThat(spared.lowerBound()).isEqualTo(2);
        assertThat(switchedAway.lowerBound()).isEqualTo(2);
        assertThat(switchedAway.simpleLowerBound()).isEqualTo(1);
        assertThat(first.lowerBound()).isEqualTo(1);
    }

    @Test
    void percentileIsNearestRank() {
        long[] values = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        assertThat(Stats.percentile(values, 95)).isEqualTo(19);
        assertThat(Stats.percentile(new long[] {7}, 95)).isEqualTo(7);
        assertThat(Stats.percentile(new long[0], 95)).isZero();
        assertThat(Stats.max(values)).isEqualTo(20);
        assertThat(Stats.mean(new long[] {1, 2})).isEqualTo(1.5);
    }

    @Test
    void mapeIsTheMeanRelativeError() {
        assertThat(Stats.mape(List.of(new long[] {110, 100}, new long[] {50, 100}))).isEqualTo(30.0);
        assertThat(Stats.mape(List.of())).isNaN();
        assertThatThrownBy(() -> Stats.mape(List.<long[]>of(new long[] {1, 0})))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

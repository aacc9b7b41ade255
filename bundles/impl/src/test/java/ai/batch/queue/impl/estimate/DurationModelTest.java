package ai.batch.queue.impl.estimate;

import static ai.batch.queue.SizeBucket.LARGE;
import static ai.batch.queue.SizeBucket.MEDIUM;
import static ai.batch.queue.SizeBucket.SMALL;
import static ai.batch.queue.SizeBucket.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import ai.batch.queue.SizeBucket;

class DurationModelTest {

    private final DurationModel model = new DurationModel();

    @Test
    void fewSamplesGiveTheirMean() {
        model.record("m", "tag", SMALL, 100, false);
        model.record("m", "tag", SMALL, 9_000, false);
        model.record("m", "tag", SMALL, 110, false);
        model.record("m", "tag", SMALL, 90, false);
        assertThat(model.itemMs("m", "tag", SMALL).ms()).isEqualTo(2_325.0);
    }

    @Test
    void fromFiveSamplesOneSlowOutlierDoesNotMoveTheEstimate() {
        model.record("m", "tag", SMALL, 100, false);
        model.record("m", "tag", SMALL, 9_000, false);
        model.record("m", "tag", SMALL, 110, false);
        model.record("m", "tag", SMALL, 90, false);
        model.record("m", "tag", SMALL, 105, false);
        assertThat(model.itemMs("m", "tag", SMALL).ms()).isEqualTo(105.0);
    }

    @Test
    void coldSampleCountsWithoutTheLearnedLoadTimeAndTeachesIt() {
        model.record("m", "tag", SMALL, 2_100, true); // 2,000 ms load + 100 ms item
        assertThat(model.itemMs("m", "tag", SMALL).ms()).as("only a cold sample: use it").isEqualTo(2_100.0);
        assertThat(model.loadMs("m")).isEmpty();

        model.record("m", "tag", SMALL, 100, false);
        assertThat(model.itemMs("m", "tag", SMALL).ms()).as("mean of 2,100 - 2,000 and 100").isEqualTo(100.0);
        assertThat(model.loadMs("m")).hasValue(2_000.0);

        model.record("m", "tag", SMALL, 1_600, true); // another load: 1,500 ms
        model.record("m", "tag", SMALL, 1_100, true); // and another: 1,000 ms
        assertThat(model.loadMs("m")).hasValue(1_500.0);
        assertThat(model.loadMs("other")).isEmpty();
    }

    @Test
    void windowFollowsDrift() {
        for (int i = 0; i < DurationModel.WINDOW; i++) {
            model.record("m", "tag", LARGE, 1_000, false);
        }
        for (int i = 0; i < DurationModel.WINDOW / 2 + 1; i++) {
            model.record("m", "tag", LARGE, 2_000, false);
        }
        assertThat(model.itemMs("m", "tag", LARGE).ms()).isEqualTo(2_000.0);
        assertThat(model.sampleCount("m", "tag", LARGE)).isEqualTo(DurationModel.WINDOW * 3 / 2 + 1);
    }

    @Test
    void confidenceGrowsWithSamplesOfTheItemsOwnSize() {
        model.record("m", "tag", LARGE, 1_000, false);
        assertThat(model.itemMs("m", "tag", SMALL).confidence()).as("other sizes only").isEqualTo(0.1);
        assertThat(model.itemMs("m", "tag", LARGE).confidence()).isEqualTo(0.2);
        for (int i = 0; i < 4; i++) {
            model.record("m", "tag", LARGE, 1_000, false);
        }
        assertThat(model.itemMs("m", "tag", LARGE).confidence()).isEqualTo(1.0);
    }

    @Test
    void bucketWithOnlyColdSamplesUsesTheLearnedLoadTime() {
        model.record("m", "tag", SMALL, 2_100, true);
        model.record("m", "tag", SMALL, 100, false); // load learned: 2,000 ms
        model.record("m", "tag", LARGE, 2_400, true); // after another switch, the first LARGE item
        assertThat(model.itemMs("m", "tag", LARGE).ms()).isEqualTo(400.0);
    }

    @Test
    void coldSampleCountsAsItIsWhileNoLoadTimeIsKnown() {
        model.record("m", "tag", LARGE, 2_400, true);
        model.record("m", "tag", SMALL, 100, false);
        assertThat(model.itemMs("m", "tag", LARGE).ms()).as("its own sample, not the other size's")
                .isEqualTo(2_400.0);
        assertThat(model.itemMs("m", "tag", LARGE).confidence()).isEqualTo(0.2);
    }

    @Test
    void coldSampleNotLongerThanTheLoadTimeCountsAsItIs() {
        model.record("m", "tag", SMALL, 2_100, true);
        model.record("m", "tag", SMALL, 100, false); // load learned: 2,000 ms
        model.record("m", "tag", LARGE, 1_500, true); // cannot have included a 2,000 ms load
        assertThat(model.itemMs("m", "tag", LARGE).ms()).isEqualTo(1_500.0);
    }

    @Test
    void loadTimeLearnedAsZeroLeavesColdSamplesAsTheyAre() {
        model.record("m", "tag", SMALL, 1_000, true);
        model.record("m", "tag", SMALL, 2_000, false); // cold shorter than warm: no load seen, 0 ms
        assertThat(model.loadMs("m")).hasValue(0.0);
        assertThat(model.itemMs("m", "tag", SMALL).ms()).isEqualTo(1_500.0);
    }

    @Test
    void aRestoredExportGivesTheSameEstimates() {
        model.record("m", "tag", SMALL, 2_100, true);
        model.record("m", "tag", SMALL, 100, false);
        model.record("m", "tag", LARGE, 2_600, true);
        model.record("n", "tag", MEDIUM, 700, true);
        DurationModel copy = new DurationModel();
        copy.restore(model.export());

        for (SizeBucket bucket : SizeBucket.values()) {
            assertThat(copy.itemMs("m", "tag", bucket)).isEqualTo(model.itemMs("m", "tag", bucket));
            assertThat(copy.itemMs("n", "tag", bucket)).isEqualTo(model.itemMs("n", "tag", bucket));
        }
        assertThat(copy.loadMs("m")).isEqualTo(model.loadMs("m")).hasValue(2_000.0);
        assertThat(copy.itemMs("m", "tag", LARGE).ms()).isEqualTo(600.0);
    }

    @Test
    void unmeasuredSizeIsScaledFromAMeasuredOneByTheRatioSeenOnOtherModels() {
        model.record("llava", "tag", SMALL, 200, false);
        model.record("llava", "tag", LARGE, 600, false); // LARGE takes 3x SMALL on llava
        model.record("moondream", "caption", SMALL, 100, false);
        assertThat(model.itemMs("moondream", "caption", LARGE).ms()).isEqualTo(300.0);
        assertThat(model.itemMs("moondream", "caption", LARGE).confidence()).isEqualTo(0.15);
        assertThat(model.itemMs("moondream", "caption", SizeBucket.MEDIUM).ms())
                .as("no model has both SMALL and MEDIUM: all sizes of moondream caption").isEqualTo(100.0);
    }

    @Test
    void coldSampleIsExplainedByTheScaledWarmSamplesOfAnotherSize() {
        model.record("n", "tag", SMALL, 100, false);
        model.record("n", "tag", LARGE, 300, false); // on n, LARGE takes 3 times as long as SMALL
        model.record("m", "tag", LARGE, 2_300, true); // 2,000 ms load + 300 ms item
        assertThat(model.loadMs("m")).as("no warm reference for m yet").isEmpty();

        model.record("m", "tag", SMALL, 100, false); // warm: LARGE on m is expected at 300 ms
        assertThat(model.loadMs("m")).hasValue(2_000.0);
        assertThat(model.itemMs("m", "tag", LARGE).ms()).as("its own cold sample less the load").isEqualTo(300.0);
        assertThat(model.itemMs("m", "tag", LARGE).confidence()).isEqualTo(0.2);
    }

    @Test
    void coldSampleWaitsForASizeRatioLearnedOnAnotherModel() {
        model.record("m", "tag", LARGE, 2_300, true);
        model.record("m", "tag", SMALL, 100, false);
        assertThat(model.loadMs("m")).as("no size ratio known yet").isEmpty();

        model.record("n", "tag", SMALL, 100, false);
        model.record("n", "tag", LARGE, 300, false);
        assertThat(model.loadMs("m")).hasValue(2_000.0);
        assertThat(model.itemMs("m", "tag", LARGE).ms()).isEqualTo(300.0);
    }

    @Test
    void coldUnknownSampleIsExplainedByTheWarmSamplesOfAllSizes() {
        model.record("m", "tag", UNKNOWN, 2_500, true); // 2,000 ms load + 500 ms item
        model.record("m", "tag", SMALL, 500, false);
        assertThat(model.loadMs("m")).hasValue(2_000.0);
        assertThat(model.itemMs("m", "tag", UNKNOWN).ms()).isEqualTo(500.0);
    }

    @Test
    void anUnmeasuredSizeBorrowsWarmSamplesBeforeCold() {
        model.record("m", "tag", LARGE, 2_400, true); // no size ratio known: stays unexplained
        model.record("m", "tag", SMALL, 100, false);
        assertThat(model.itemMs("m", "tag", MEDIUM).ms()).as("the warm SMALL, not the mean with the cold LARGE")
                .isEqualTo(100.0);
        assertThat(model.itemMs("m", "tag", MEDIUM).confidence()).isEqualTo(0.1);
    }

    @Test
    void anUnmeasuredSizePrefersScaledWarmSamplesToAColdUnknownSample() {
        model.record("n", "tag", SMALL, 100, false);
        model.record("n", "tag", LARGE, 300, false);
        model.record("m", "tag", UNKNOWN, 5_000, true); // no warm sample of m yet: unexplained
        assertThat(model.itemMs("m", "tag", LARGE).ms()).as("only the cold UNKNOWN sample").isEqualTo(5_000.0);

        model.record("m", "tag", LARGE, 200, false); // explains the UNKNOWN sample: 4,800 ms load
        assertThat(model.itemMs("m", "tag", SMALL).ms()).as("LARGE scaled by 1/3, not the UNKNOWN sample's 200").isCloseTo(200.0 / 3, within(1e-9));
        assertThat(model.itemMs("m", "tag", SMALL).confidence()).isEqualTo(0.15);
    }
}

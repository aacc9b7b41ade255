package ai.batch.queue.impl.core;

import static ai.batch.queue.SizeBucket.LARGE;
import static ai.batch.queue.SizeBucket.SMALL;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import ai.batch.queue.SizeBucket;

class DurationModelTest {

    private final DurationModel model = new DurationModel();

    @Test
    void oneSlowOutlierDoesNotMoveTheEstimate() {
        model.record("m", "tag", SMALL, 100, false);
        model.record("m", "tag", SMALL, 9_000, false);
        model.record("m", "tag", SMALL, 110, false);
        assertThat(model.itemMs("m", "tag", SMALL).ms()).isEqualTo(110.0);
    }

    @Test
    void coldSampleIsLeftOutOnceWarmSamplesExistAndTeachesTheLoadTime() {
        model.record("m", "tag", SMALL, 2_100, true); // 2,000 ms load + 100 ms item
        assertThat(model.itemMs("m", "tag", SMALL).ms()).as("only a cold sample: use it").isEqualTo(2_100.0);
        assertThat(model.loadMs("m")).isEmpty();

        model.record("m", "tag", SMALL, 100, false);
        assertThat(model.itemMs("m", "tag", SMALL).ms()).isEqualTo(100.0);
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
    void bucketWithOnlyColdSamplesPrefersWarmSamplesOfOtherSizesWhenNoLoadIsKnown() {
        model.record("m", "tag", LARGE, 2_400, true);
        model.record("m", "tag", SMALL, 100, false);
        assertThat(model.itemMs("m", "tag", LARGE).ms()).isEqualTo(100.0);
        assertThat(model.itemMs("m", "tag", LARGE).confidence()).isEqualTo(0.1);
    }

    @Test
    void unmeasuredSizeIsScaledFromAMeasuredOneByTheRatioSeenOnOtherModels() {
        model.record("llava", "tag", SMALL, 200, false);
        model.record("llava", "tag", LARGE, 600, false); // LARGE takes 3x SMALL on llava
        model.record("moondream", "caption", SMALL, 100, false);
        assertThat(model.itemMs("moondream", "caption", LARGE).ms()).isEqualTo(300.0);
        assertThat(model.itemMs("moondream", "caption", LARGE).confidence()).isEqualTo(0.15);
        assertThat(model.itemMs("moondream", "caption", SizeBucket.MEDIUM).ms())
                .as("no model has both SMALL and MEDIUM: all sizes' median").isEqualTo(100.0);
    }
}

package ai.batch.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SizeBucketTest {

    @ParameterizedTest(name = "{0} pixels -> {1}")
    @CsvSource({
        "0, SMALL",
        "1, SMALL",
        "499999, SMALL",
        "500000, MEDIUM",
        "1999999, MEDIUM",
        "2000000, LARGE",
        "2000001, LARGE",
        "9223372036854775807, LARGE"
    })
    void pixelCountMapsToBucketAtContractBoundaries(long pixels, SizeBucket expected) {
        assertThat(SizeBucket.fromPixelCount(pixels)).isEqualTo(expected);
    }

    @Test
    void boundaryConstantsMatchContract() {
        assertThat(SizeBucket.MEDIUM_MIN_PIXELS).isEqualTo(500_000L);
        assertThat(SizeBucket.LARGE_MIN_PIXELS).isEqualTo(2_000_000L);
    }

    @Test
    void negativePixelCountIsRejected() {
        assertThatThrownBy(() -> SizeBucket.fromPixelCount(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> SizeBucket.fromPixelCount(Long.MIN_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingWidthOrHeightIsUnknown() {
        assertThat(SizeBucket.fromDimensions(null, 100)).isEqualTo(SizeBucket.UNKNOWN);
        assertThat(SizeBucket.fromDimensions(100, null)).isEqualTo(SizeBucket.UNKNOWN);
        assertThat(SizeBucket.fromDimensions(null, null)).isEqualTo(SizeBucket.UNKNOWN);
    }

    @Test
    void missingDimensionWinsOverNegativeOther() {
        // Either null -> UNKNOWN, as the contract says, before any range check.
        assertThat(SizeBucket.fromDimensions(null, -5)).isEqualTo(SizeBucket.UNKNOWN);
    }

    @Test
    void negativeDimensionIsRejected() {
        assertThatThrownBy(() -> SizeBucket.fromDimensions(-1, 100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SizeBucket.fromDimensions(100, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}")
    @CsvSource({
        "0, 0, SMALL",
        "0, 2147483647, SMALL",
        "999, 500, SMALL",
        "1000, 500, MEDIUM",
        "1999, 1000, MEDIUM",
        "2000, 1000, LARGE",
        "1920, 1080, LARGE",
        "1280, 720, MEDIUM",
        "640, 480, SMALL"
    })
    void dimensionsMapByPixelCount(int width, int height, SizeBucket expected) {
        assertThat(SizeBucket.fromDimensions(width, height)).isEqualTo(expected);
    }

    @Test
    void largeDimensionsAreMultipliedAsLongWithoutOverflow() {
        // As int products these wrap: 65536 * 65536 to 0 (SMALL) and 46341 * 46341 to a negative number.
        assertThat(SizeBucket.fromDimensions(100_000, 100_000)).isEqualTo(SizeBucket.LARGE);
        assertThat(SizeBucket.fromDimensions(65_536, 65_536)).isEqualTo(SizeBucket.LARGE);
        assertThat(SizeBucket.fromDimensions(46_341, 46_341)).isEqualTo(SizeBucket.LARGE);
        assertThat(SizeBucket.fromDimensions(Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(SizeBucket.LARGE);
    }
}

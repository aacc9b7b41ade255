package ai.batch.queue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A coarse size class of an item, used to learn processing times separately for small and large inputs.
 * Wire names: {@code "small"}, {@code "medium"}, {@code "large"}, {@code "unknown"}.
 *
 * <table>
 * <caption>Buckets by pixel count</caption>
 * <tr><th>bucket</th><th>pixels</th></tr>
 * <tr><td>SMALL</td><td>&lt; 500,000</td></tr>
 * <tr><td>MEDIUM</td><td>500,000 to 1,999,999</td></tr>
 * <tr><td>LARGE</td><td>2,000,000 and more</td></tr>
 * <tr><td>UNKNOWN</td><td>dimensions not known</td></tr>
 * </table>
 */
public enum SizeBucket {
    /** Fewer than 500,000 pixels. */
    SMALL("small"),
    /** 500,000 up to 1,999,999 pixels. */
    MEDIUM("medium"),
    /** 2,000,000 pixels or more. */
    LARGE("large"),
    /** Size not known; also the fallback bucket of the ETA estimate. */
    UNKNOWN("unknown");

    /** First pixel count that is MEDIUM. */
    public static final long MEDIUM_MIN_PIXELS = 500_000L;
    /** First pixel count that is LARGE. */
    public static final long LARGE_MIN_PIXELS = 2_000_000L;

    private final String wireName;

    SizeBucket(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name used in JSON.
     *
     * @return the lower case wire name
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * The bucket for a pixel count: below 500,000 SMALL, below 2,000,000 MEDIUM, otherwise LARGE.
     *
     * @param pixels the number of pixels, zero or more
     * @return SMALL, MEDIUM or LARGE
     * @throws IllegalArgumentException if {@code pixels} is negative
     */
    public static SizeBucket fromPixelCount(long pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("Pixel count must not be negative: " + pixels);
        }
        if (pixels < MEDIUM_MIN_PIXELS) {
            return SMALL;
        }
        return pixels < LARGE_MIN_PIXELS ? MEDIUM : LARGE;
    }

    /**
     * The bucket for an image of the given size; the product is computed as a {@code long}, so it cannot
     * overflow.
     *
     * @param width width in pixels, or {@code null} if not known
     * @param height height in pixels, or {@code null} if not known
     * @return UNKNOWN if either is {@code null}, else {@link #fromPixelCount(long)} of {@code width * height}
     * @throws IllegalArgumentException if either dimension is negative
     */
    public static SizeBucket fromDimensions(Integer width, Integer height) {
        if (width == null || height == null) {
            return UNKNOWN;
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("Dimensions must not be negative: " + width + "x" + height);
        }
        return fromPixelCount((long) width * (long) height);
    }

    /**
     * The constant with the given wire name.
     *
     * @param wireName a name such as {@code "large"}
     * @return the matching constant
     * @throws IllegalArgumentException for any other name
     */
    @JsonCreator
    public static SizeBucket fromWireName(String wireName) {
        return WireNames.find(values(), SizeBucket::wireName, wireName, "size bucket");
    }
}

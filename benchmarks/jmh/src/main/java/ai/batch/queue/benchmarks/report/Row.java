package ai.batch.queue.benchmarks.report;

/**
 * One line of the report.
 *
 * @param letter the case letter, {@code a} to {@code j}
 * @param key identifies the row for ratios between rows, e.g. {@code e:post:0} or {@code f:getJob:1000000}
 * @param label what was measured, in words
 * @param unit the unit of {@code score} and {@code error}
 * @param score the primary score, per item (or job, event, operation)
 * @param error the half-width of the 99.9% confidence interval in the same unit, NaN if unknown
 * @param note a remark for the notes column, or empty
 */
public record Row(String letter, String key, String label, Unit unit, double score, double error, String note) {

    /**
     * A row without a note.
     *
     * @param letter the case letter
     * @param key the row key
     * @param label what was measured
     * @param unit the unit
     * @param score the score
     * @param error the error
     */
    public Row(String letter, String key, String label, Unit unit, double score, double error) {
        this(letter, key, label, unit, score, error, "");
    }

    /**
     * @param text the note
     * @return this row with the note
     */
    public Row withNote(String text) {
        return new Row(letter, key, label, unit, score, error, text);
    }

    /** The units the report uses. */
    public enum Unit {
        ITEMS_PER_S("items/s", true),
        JOBS_PER_S("jobs/s", true),
        EVENTS_PER_S("events/s", true),
        NS_PER_OP("ns/op", false),
        BYTES_PER_ITEM("bytes/item", false),
        BYTES_PER_CLIENT("bytes/client", false);

        private final String text;
        private final boolean throughput;

        Unit(String text, boolean throughput) {
            this.text = text;
            this.throughput = throughput;
        }

        /** @return the unit as printed */
        public String text() {
            return text;
        }

        /** @return whether a higher score is better (a rate) */
        public boolean throughput() {
            return throughput;
        }
    }

    /**
     * @return whether the score is a usable measurement: positive, except that memory kept per client may be zero
     *         or, within the heap reading's noise, slightly negative
     */
    public boolean valid() {
        return Double.isFinite(score) && (score > 0 || unit == Unit.BYTES_PER_CLIENT);
    }
}

package ai.batch.queue.benchmarks.report;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the results as one Markdown table, with the ratios that make them readable:
 * <ul>
 * <li>vs (a): how many times the raw loop's rate is higher, {@code (a)/x};</li>
 * <li>vs (d): how many times JobRunr's rate this rate is, {@code x/(d)};</li>
 * <li>notes: for the end-to-end cases, the cost of one item (or job) in postEvent calls at the same EventAdmin
 * Timeout, {@code (e)/x}; for the scaling cases, the cost at the largest queue over the cost at the smallest; for
 * the dashboard cases, the rate without the dashboard over the rate with it.</li>
 * </ul>
 * Row keys follow the conventions of {@code Cases}: {@code b:job:events=on:T=0}, {@code b:single:T=0},
 * {@code c}, {@code d}, {@code e:post:T=0}, {@code f:getJob:1000000}, {@code j:viewer=off}.
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /**
     * @param title the heading
     * @param header lines under the heading (mode, machine facts)
     * @param rows the measurements, in table order
     * @param failures what did not run or gave no usable number; empty when all went well
     * @return the Markdown text
     */
    public static String render(String title, List<String> header, List<Row> rows, List<String> failures) {
        return render(title, header, rows, failures, false);
    }

    /**
     * @param title the heading
     * @param header lines under the heading (mode, machine facts)
     * @param rows the measurements, in table order
     * @param failures what did not run or gave no usable number; empty when all went well
     * @param shortRun whether this is a short, single-fork run, whose rows vary more between JVMs than the
     *        differences some notes compare: those notes then say the rows are not ranked instead of a ratio
     * @return the Markdown text
     */
    public static String render(String title, List<String> header, List<Row> rows, List<String> failures,
            boolean shortRun) {
        Map<String, Row> byKey = new HashMap<>();
        rows.forEach(row -> byKey.put(row.key(), row));
        Optional<Row> raw = Optional.ofNullable(byKey.get("a")).filter(Row::valid);
        Optional<Row> jobRunr = Optional.ofNullable(byKey.get("d")).filter(Row::valid);

        StringBuilder out = new StringBuilder();
        out.append("# ").append(title).append("\n\n");
        header.forEach(line -> out.append(line).append('\n'));
        out.append('\n');
        out.append("| case | score | ± error | vs (a) raw loop | vs (d) JobRunr | notes |\n");
        out.append("|---|--:|--:|--:|--:|---|\n");
        for (Row row : rows) {
            String note = joinNotes(row.note(), derivedNote(row, byKey, shortRun));
            out.append("| ").append(row.label())
                    .append(" | ").append(number(row.score(), row.unit())).append(' ').append(row.unit().text())
                    .append(" | ").append(Double.isNaN(row.error()) ? "n/a" : "± " + number(row.error(), row.unit()))
                    .append(" | ").append(versusRaw(row, raw))
                    .append(" | ").append(versusJobRunr(row, jobRunr))
                    .append(" | ").append(note).append(" |\n");
        }
        if (!failures.isEmpty()) {
            out.append("\n**FAILED** (the run exits non-zero):\n\n");
            failures.forEach(failure -> out.append("- ").append(failure.replace('\n', ' ')).append('\n'));
        }
        return out.toString();
    }

    private static boolean comparableWork(Row row) {
        return row.valid() && (row.unit() == Row.Unit.ITEMS_PER_S || row.unit() == Row.Unit.JOBS_PER_S);
    }

    private static String versusRaw(Row row, Optional<Row> raw) {
        if (!comparableWork(row) || raw.isEmpty()) {
            return "—";
        }
        return row.key().equals("a") ? "1×" : "(a)/x = " + times(raw.get().score() / row.score());
    }

    private static String versusJobRunr(Row row, Optional<Row> jobRunr) {
        if (!comparableWork(row) || jobRunr.isEmpty()) {
            return "—";
        }
        return row.key().equals("d") ? "1×" : "x/(d) = " + times(row.score() / jobRunr.get().score());
    }

    private static String derivedNote(Row row, Map<String, Row> byKey, boolean shortRun) {
        if (!row.valid()) {
            return "";
        }
        String key = row.key();
        String timeout = null;
        String per = "item";
        if (key.startsWith("b:job:events=on:T=")) {
            timeout = key.substring("b:job:events=on:T=".length());
        } else if (key.startsWith("b:single:T=")) {
            timeout = key.substring("b:single:T=".length());
            per = "job";
        } else if (key.equals("c")) {
            timeout = "0";
        }
        if (timeout != null) {
            Row post = byKey.get("e:post:T=" + timeout);
            return post == null || !post.valid() ? ""
                    : "1 " + per + " costs " + times(post.score() / row.score()) + " one postEvent (e, Timeout="
                            + timeout + ")";
        }
        if (key.startsWith("f:") && key.chars().filter(c -> c == ':').count() == 2) {
            return scalingNote(row, byKey);
        }
        if (key.equals("f:listJobs-10-jobs")) {
            return jobsOrItemsNote(row, byKey);
        }
        if (key.startsWith("j:viewer=") && !key.equals("j:viewer=off")) {
            return dashboardNote(row, byKey.get("j:viewer=off"), shortRun);
        }
        return "";
    }

    /**
     * Throughput without the dashboard over throughput with it; the goal is at most 2×. A ratio is printed only
     * when the two rows can be ranked: a short single-fork run printed 0.35× (the dashboard "tripling" the rate),
     * which was noise between JVMs, not a finding.
     */
    private static String dashboardNote(Row row, Row withoutDashboard, boolean shortRun) {
        if (withoutDashboard == null || !withoutDashboard.valid()) {
            return "";
        }
        if (shortRun) {
            return "without the dashboard / with: not ranked (a short single-fork run cannot tell this apart from "
                    + "the noise between JVMs; see a full run)";
        }
        if (overlap(withoutDashboard, row)) {
            return "without the dashboard / with: not ranked (the error intervals of the two rows overlap)";
        }
        double slowdown = withoutDashboard.score() / row.score();
        return "without the dashboard / with = " + times(slowdown) + (slowdown <= 2 ? " (within the 2× goal)"
                : " (**over the 2× goal**)");
    }

    /** @return whether the two rows' 99.9% intervals overlap, or an interval is unknown */
    private static boolean overlap(Row a, Row b) {
        if (Double.isNaN(a.error()) || Double.isNaN(b.error())) {
            return true;
        }
        return Math.abs(a.score() - b.score()) <= a.error() + b.error();
    }

    /** On the row of the largest size of an operation: its cost over the cost at the smallest size. */
    private static String scalingNote(Row row, Map<String, Row> byKey) {
        String prefix = row.key().substring(0, row.key().lastIndexOf(':') + 1);
        long size = Long.parseLong(row.key().substring(prefix.length()));
        long smallest = Long.MAX_VALUE;
        long largest = 0;
        for (String key : byKey.keySet()) {
            if (key.startsWith(prefix) && byKey.get(key).valid()) {
                long other = Long.parseLong(key.substring(prefix.length()));
                smallest = Math.min(smallest, other);
                largest = Math.max(largest, other);
            }
        }
        if (size != largest || smallest == largest) {
            return "";
        }
        Row base = byKey.get(prefix + smallest);
        double ratio = row.score() / base.score();
        double growth = (double) largest / smallest;
        String verdict = ratio < 3 ? "flat: O(1)"
                : ratio > growth / 10 ? "grows with the queue: O(n)"
                        : "grows, but far less than the " + times(growth) + " of O(n)";
        return size(largest) + "/" + size(smallest) + " = " + times(ratio) + " (" + verdict + ")";
    }

    /** Compares listJobs on the same items held in 10 jobs and in 1,000 jobs. */
    private static String jobsOrItemsNote(Row row, Map<String, Row> byKey) {
        long largest = byKey.keySet().stream().filter(k -> k.startsWith("f:listJobs:"))
                .mapToLong(k -> Long.parseLong(k.substring("f:listJobs:".length()))).max().orElse(0);
        Row manyJobs = byKey.get("f:listJobs:" + largest);
        if (manyJobs == null || !manyJobs.valid()) {
            return "";
        }
        double ratio = manyJobs.score() / row.score();
        return "the same items in 1,000 jobs cost " + times(ratio) + " this: listJobs scales with "
                + (ratio > 10 ? "jobs, not items" : "items");
    }

    private static String joinNotes(String first, String second) {
        if (first.isEmpty()) {
            return second;
        }
        return second.isEmpty() ? first : first + "; " + second;
    }

    /**
     * @param count a count such as 1000000
     * @return it as 1k, 10k, 1M …
     */
    public static String size(long count) {
        if (count >= 1_000_000 && count % 1_000_000 == 0) {
            return count / 1_000_000 + "M";
        }
        if (count >= 1_000 && count % 1_000 == 0) {
            return count / 1_000 + "k";
        }
        return Long.toString(count);
    }

    private static String times(double ratio) {
        if (ratio >= 100) {
            return String.format(Locale.ROOT, "%,.0f×", ratio);
        }
        if (ratio >= 10) {
            return String.format(Locale.ROOT, "%.1f×", ratio);
        }
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static String number(double value, Row.Unit unit) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (unit == Row.Unit.NS_PER_OP || unit == Row.Unit.BYTES_PER_ITEM || unit == Row.Unit.BYTES_PER_CLIENT) {
            return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value)
                    : String.format(Locale.ROOT, "%,.1f", value);
        }
        return String.format(Locale.ROOT, "%,.0f", value);
    }
}

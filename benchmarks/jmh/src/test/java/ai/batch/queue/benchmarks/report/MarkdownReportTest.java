package ai.batch.queue.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The dashboard note of case (j): a ratio only when the run can rank the two rows. */
class MarkdownReportTest {

    private static Row row(String key, double score, double error) {
        return new Row("j", key, key, Row.Unit.ITEMS_PER_S, score, error);
    }

    private static String note(List<Row> rows, boolean shortRun) {
        String report = MarkdownReport.render("t", List.of(), rows, List.of(), shortRun);
        return report.lines().filter(line -> line.startsWith("| j:viewer=on ")).findFirst().orElseThrow();
    }

    @Test
    void aShortSingleForkRunPrintsNoRatio() {
        // the short run that printed "0.35× (within the 2× goal)": one fork cannot rank these rows
        String line = note(List.of(row("j:viewer=off", 3_500, 900), row("j:viewer=on", 10_000, 8_000)), true);
        assertThat(line).doesNotContain("×", "goal").contains("not ranked");
    }

    @Test
    void overlappingErrorIntervalsPrintNoRatio() {
        String line = note(List.of(row("j:viewer=off", 10_000, 3_000), row("j:viewer=on", 7_000, 1_000)), false);
        assertThat(line).doesNotContain("×", "goal").contains("not ranked", "overlap");
        assertThat(note(List.of(row("j:viewer=off", 10_000, Double.NaN), row("j:viewer=on", 4_000, 10)), false))
                .doesNotContain("goal").contains("not ranked");
    }

    @Test
    void separateIntervalsInAFullRunGiveTheRatio() {
        String line = note(List.of(row("j:viewer=off", 10_000, 500), row("j:viewer=on", 8_000, 500)), false);
        assertThat(line).contains("without the dashboard / with = 1.25× (within the 2× goal)");
        assertThat(note(List.of(row("j:viewer=off", 10_000, 500), row("j:viewer=on", 4_000, 500)), false))
                .contains("2.50×", "over the 2× goal");
    }
}

package ai.batch.queue.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorMainTest {

    @Test
    void quickReportHasATableOfFourPoliciesPerTrace() {
        String report = SimulatorMain.report(Options.parse("--quick"));

        assertThat(report).contains("## Definitions", "**LB**", "## 1. readme", "## 2. bursty", "## 3. steady",
                "## 4. zipf", "## 5. retry");
        assertThat(report.lines().filter(line -> line.startsWith("| seed: alphabetical |"))).hasSize(5);
        assertThat(report.lines().filter(line -> line.startsWith("| ours (maxWait 120 s) |"))).hasSize(5);
    }

    @Test
    void sameSeedSameReportOtherSeedOtherReport() {
        assertThat(SimulatorMain.report(Options.parse("--quick", "--seed", "7")))
                .isEqualTo(SimulatorMain.report(Options.parse("--quick", "--seed", "7")))
                .isNotEqualTo(SimulatorMain.report(Options.parse("--quick", "--seed", "8")));
    }

    @Test
    void replaysATraceFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"type\":\"trace\",\"name\":\"mine\",\"retryRounds\":0}",
                "{\"type\":\"model\",\"name\":\"a\",\"loadMs\":1000,\"itemMs\":{\"small\":100},\"noise\":0}",
                "{\"type\":\"model\",\"name\":\"b\",\"loadMs\":1000,\"itemMs\":{\"small\":100},\"noise\":0}",
                "{\"type\":\"job\",\"at\":0,\"model\":\"a\",\"operation\":\"tag\",\"items\":{\"small\":2}}",
                "{\"type\":\"job\",\"at\":0,\"model\":\"b\",\"operation\":\"tag\",\"items\":{\"small\":2}}",
                "{\"type\":\"job\",\"at\":0,\"model\":\"a\",\"operation\":\"tag\",\"items\":{\"small\":2}}"));

        String report = SimulatorMain.report(Options.parse("--trace", file.toString()));

        assertThat(report).contains("## 1. mine", "| FIFO | 3 | 2 |").doesNotContain("## 2.");
        assertThat(report).containsPattern("\\| ours \\(maxWait 600 s\\) \\| 2 \\| 2 \\|");
    }

    @Test
    void theShippedExampleTraceReplays() {
        String report = SimulatorMain.report(Options.parse("--trace", "traces/example.jsonl"));

        assertThat(report).contains("## 1. example", "4 jobs, 21 items, 2 models; retry rounds 3");
    }

    @Test
    void optionsHaveDefaultsAndRejectBadValues() {
        Options defaults = Options.parse();
        assertThat(defaults.seed()).isEqualTo(42);
        assertThat(defaults.maxWait()).isEqualTo(Duration.ofMinutes(10));
        assertThat(Options.parse("--quick").maxWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(Options.parse("--quick", "--max-wait-ms", "5000").maxWait()).isEqualTo(Duration.ofSeconds(5));

        assertThatThrownBy(() -> Options.parse("--seed")).hasMessage("--seed needs a value");
        assertThatThrownBy(() -> Options.parse("--seed", "x")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Options.parse("--noise", "1.5")).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> Options.parse("--max-wait-ms", "0")).hasMessageContaining("greater than 0");
        assertThatThrownBy(() -> Options.parse("--fast")).hasMessage("unknown option '--fast'");
    }
}

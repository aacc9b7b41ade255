package example.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void usageListsEveryFlagWithItsDefault() {
        String usage = DemoOptions.usage("./demo", 80);
        assertThat(usage).startsWith("Usage: ./demo [options]\n");
        for (DemoOptions.Flag flag : DemoOptions.FLAGS) {
            assertThat(usage).contains("  " + flag.name());
        }
        assertThat(usage).contains("--failure-rate <share>").contains("--keep-running").contains("--example <name>");
        // each flag's text ends with its default, however it was wrapped
        String joined = usage.replaceAll("\n +", " ");
        for (DemoOptions.Flag flag : DemoOptions.FLAGS) {
            assertThat(joined).contains("(default: " + flag.byDefault() + ")");
        }
        assertThat(usage.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        assertThat(DemoOptions.usage("./demo", 60).lines())
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(60));
    }

    @Test
    void everyListedFlagIsAccepted() {
        for (DemoOptions.Flag flag : DemoOptions.FLAGS) {
            String value = switch (flag.value()) {
                case "" -> null;
                case "<name>" -> "basic-batch";
                case "<share>" -> "0.2";
                default -> "2";
            };
            List<String> args = value == null ? List.of(flag.name()) : List.of(flag.name(), value);
            assertThat(DemoOptions.parse(args.toArray(String[]::new))).as(flag.name()).isNotNull();
        }
        assertThat(DemoOptions.parse("--failure-rate", "0.2").failureRate()).isEqualTo(0.2);
        assertThat(DemoOptions.parse().failureRate()).isNegative();
        assertThatThrownBy(() -> DemoOptions.parse("--failure-rate", "2")).hasMessageContaining("between 0 and 1");
    }
}

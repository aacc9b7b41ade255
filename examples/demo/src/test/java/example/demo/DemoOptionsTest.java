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
                case "<jdbc-url>" -> "jdbc:postgresql://db.example.org/batch";
                default -> "2";
            };
            List<String> args = new java.util.ArrayList<>(value == null ? List.of(flag.name()) : List.of(flag.name(), value));
            if (flag.name().startsWith("--fleet-") || flag.name().equals("--node-id")) {
                args.addAll(List.of("--fleet", "jdbc:postgresql://db.example.org/batch")); // they belong to a fleet node
            }
            assertThat(DemoOptions.parse(args.toArray(String[]::new))).as(flag.name()).isNotNull();
        }
        assertThat(DemoOptions.parse("--failure-rate", "0.2").failureRate()).isEqualTo(0.2);
        assertThat(DemoOptions.parse().failureRate()).isNegative();
        assertThatThrownBy(() -> DemoOptions.parse("--failure-rate", "2")).hasMessageContaining("between 0 and 1");
    }

    @Test
    void aFleetNodeNeedsAPostgresUrlAndTakesNoExample() {
        DemoOptions node = DemoOptions.parse("--fleet", "jdbc:postgresql://db/batch", "--node-id", "box-2",
                "--fleet-enqueue");
        assertThat(node.fleet()).isEqualTo("jdbc:postgresql://db/batch");
        assertThat(node.nodeId()).isEqualTo("box-2");
        assertThat(node.fleetEnqueue()).isTrue();
        assertThatThrownBy(() -> DemoOptions.parse("--fleet", "http://db")).hasMessageContaining("PostgreSQL JDBC URL");
        assertThatThrownBy(() -> DemoOptions.parse("--node-id", "x")).hasMessageContaining("need --fleet");
        assertThatThrownBy(() -> DemoOptions.parse("--fleet", "jdbc:postgresql://db/batch", "--example", "slots"))
                .hasMessageContaining("takes no");
    }
}

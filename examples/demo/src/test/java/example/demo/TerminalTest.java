package example.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TerminalTest {

    @Test
    void escapesOnlyOnAConsoleWithoutNoColor() {
        assertThat(Terminal.of(true, Map.of(), null).ansi()).isTrue();
        assertThat(Terminal.of(false, Map.of(), null).ansi()).isFalse();
        assertThat(Terminal.of(true, Map.of("NO_COLOR", "1"), null).ansi()).isFalse();
        assertThat(Terminal.of(true, Map.of("NO_COLOR", "1"), null).interactive()).isTrue();
        // no-color.org: an empty NO_COLOR does not count
        assertThat(Terminal.of(true, Map.of("NO_COLOR", ""), null).ansi()).isTrue();
    }

    @Test
    void widthFromTheScriptThenColumnsElse80() {
        assertThat(Terminal.of(true, Map.of(), null).columns()).isEqualTo(80);
        assertThat(Terminal.of(true, Map.of("COLUMNS", "132"), null).columns()).isEqualTo(132);
        assertThat(Terminal.of(true, Map.of("COLUMNS", "132"), "100").columns()).isEqualTo(100);
        assertThat(Terminal.of(true, Map.of(), "wide").columns()).isEqualTo(80);
        assertThat(Terminal.of(true, Map.of(), "10").columns()).isEqualTo(40);
    }
}

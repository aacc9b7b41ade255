package example.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TextTest {

    private static final String NOTE = "Runs before moondream/caption (job accbd0e8-454b-4a11-a6ab-71451bda850a, "
            + "queued earlier): model 'llava:13b' is already loaded";

    @Test
    void jobIdsAreShortened() {
        assertThat(Text.shortIds(NOTE)).isEqualTo(
                "Runs before moondream/caption (job accbd0e8, queued earlier): model 'llava:13b' is already loaded");
    }

    @Test
    void wrappedLinesFitAndKeepEveryWord() {
        String line = "  ^ planner: llava:13b caption moves up. " + Text.shortIds(NOTE);
        List<String> lines = Text.wrap(line, 80);
        assertThat(lines).hasSizeGreaterThan(1).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(80));
        assertThat(lines.get(0)).startsWith("  ^ planner:");
        assertThat(lines.subList(1, lines.size())).allSatisfy(part -> assertThat(part).startsWith("      "));
        assertThat(String.join(" ", lines).replaceAll(" +", " ").strip()).isEqualTo(line.replaceAll(" +", " ").strip());
    }

    @Test
    void aWordLongerThanTheLineIsCut() {
        assertThat(Text.wrap("x".repeat(100), 40)).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(40));
        assertThat(Text.wrap("short", 40)).containsExactly("short");
    }

    @Test
    void controlCharactersOfForeignTextShowAsCodePoints() {
        assertThat(Text.visible("out of memory \u001b[31mred\u001b[0m \u202e")).isEqualTo(
                "out of memory \\u001B[31mred\\u001B[0m \\u202E");
        assertThat(Text.visible(null)).isEqualTo("null");
    }
}

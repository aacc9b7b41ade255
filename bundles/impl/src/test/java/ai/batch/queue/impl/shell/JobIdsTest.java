package ai.batch.queue.impl.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobIdsTest {

    private final ShellFixture fixture = new ShellFixture();

    @Test
    void shortIdsHaveEightCharactersOrAsManyAsTellThemApart() {
        fixture.enqueue("3f2a9c1e-aaaa-0000", "m", "a");
        fixture.enqueue("3f2a9c1e-abbb-0000", "m", "a");
        fixture.enqueue("77aa0000-1111-2222", "m", "a");
        fixture.enqueue("ok", "m", "a");
        assertThat(JobIds.shortIds(fixture.queue.listJobs())).containsEntry("3f2a9c1e-aaaa-0000", "3f2a9c1e-aa")
                .containsEntry("3f2a9c1e-abbb-0000", "3f2a9c1e-ab").containsEntry("77aa0000-1111-2222", "77aa0000")
                .containsEntry("ok", "ok");
    }

    @Test
    void aSharedPrefixIsRefusedWithTheCandidates() {
        fixture.enqueue("3f2a9c1e-aaaa-0000", "llava:13b", "a");
        fixture.enqueue("3f2a1111-bbbb-0000", "moondream", "a");
        fixture.queue.cancelJob("3f2a1111-bbbb-0000");
        assertThatThrownBy(() -> JobIds.find(fixture.queue, "3f2a")).isInstanceOf(CommandFailure.Error.class)
                .hasMessage(String.join("\n",
                        "'3f2a' matches 2 jobs; give more of the id:",
                        "  3f2a9c1e  llava:13b  tag  queued",
                        "  3f2a1111  moondream  tag  cancelled"));
    }

    @Test
    void aOneCharacterPrefixNeverPicksAJobSilently() {
        fixture.enqueue("9d41c0de-old", "llava:13b", "a");
        fixture.queue.cancelJob("9d41c0de-old");
        assertThatThrownBy(() -> JobIds.find(fixture.queue, "9")).isInstanceOf(CommandFailure.Error.class)
                .hasMessage(String.join("\n",
                        "'9' is too short to be sure; give at least 4 characters of the id:",
                        "  9d41c0de  llava:13b  tag  cancelled"));
        assertThat(JobIds.find(fixture.queue, "9d41").id()).isEqualTo("9d41c0de-old");
    }

    @Test
    void aWholeIdIsFoundHoweverShortAndAnUnknownOneIsASentence() {
        fixture.enqueue("ok", "m", "a");
        fixture.enqueue("ok-2", "m", "a");
        assertThat(JobIds.find(fixture.queue, "ok").id()).isEqualTo("ok");
        assertThatThrownBy(() -> JobIds.find(fixture.queue, "nope"))
                .hasMessage("No job with id 'nope' (see batch:jobs).");
        assertThatThrownBy(() -> JobIds.find(fixture.queue, " "))
                .hasMessage("A job id (or at least 4 characters of one) is needed.");
    }
}

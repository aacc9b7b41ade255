package ai.batch.queue.impl.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

/** What a command says when the queue refuses something the command's own checks let through (a race). */
class CommandFailureTest {

    @Test
    void theQueuesExceptionsBecomeOneSentence() {
        assertThatThrownBy(() -> CommandFailure.guard("cancel job 3f2a9c1e", () -> {
            throw new IllegalStateException("cancelJob: job 3f2a9c1e is COMPLETED, expected one of [QUEUED, RUNNING]");
        })).isExactlyInstanceOf(CommandFailure.Error.class).hasMessage(
                "Could not cancel job 3f2a9c1e: cancelJob: job 3f2a9c1e is COMPLETED, expected one of [QUEUED, RUNNING].")
                .hasNoCause();
        assertThatThrownBy(() -> CommandFailure.guard("remove job x", () -> {
            throw new NoSuchElementException("No job x.");
        })).hasMessage("Could not remove job x: No job x.");
        assertThatThrownBy(() -> CommandFailure.guard("enqueue the job", () -> {
            throw new IllegalArgumentException("duplicate item id 'a\u202e'");
        })).hasMessage("Could not enqueue the job: duplicate item id 'a\\u202E'.");
        assertThat(CommandFailure.guard("read", () -> "fine")).isEqualTo("fine");
    }

    @Test
    void otherFailuresAreNotDisguised() {
        assertThatThrownBy(() -> CommandFailure.guard("read", () -> {
            throw new NullPointerException("a bug");
        })).isExactlyInstanceOf(NullPointerException.class);
    }
}

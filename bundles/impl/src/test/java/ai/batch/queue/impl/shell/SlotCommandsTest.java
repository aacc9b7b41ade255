package ai.batch.queue.impl.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ai.batch.queue.impl.executor.SlotState;

class SlotCommandsTest {

    private final ShellFixture fixture = new ShellFixture();
    private final List<SlotState.Status> slots = new ArrayList<>();
    private final SlotCommands commands = new SlotCommands(fixture.queue, () -> List.copyOf(slots));

    @Test
    void withoutSlotsItSaysWhy() {
        assertThat(commands.slots()).startsWith("No slots: no handler declares ai.batch.slot");
    }

    @Test
    void eachSlotWithItsModelJobItemsAndLoads() {
        fixture.enqueue("f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "llava:13b", "a", "b");
        fixture.enqueue("0b1e2c3d-aaaa-bbbb-cccc-000000000000", "moondream", "c");
        slots.add(new SlotState.Status("ollama@gpu-1:11434", Set.of("moondream", "llava:13b"), "llava:13b",
                "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", 2, 40));
        slots.add(new SlotState.Status("gpu-2", Set.of("*"), null, null, 0, 0));

        assertThat(commands.slots()).isEqualTo(String.join("\n",
                "SLOT                STATE  MODEL      JOB       ITEMS  LOADS  SERVES",
                "ollama@gpu-1:11434  busy   llava:13b  f81d4fae  40     2      llava:13b, moondream",
                "gpu-2               idle   -          -         0      0      *"));
    }
}

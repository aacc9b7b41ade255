package ai.batch.queue.impl.executor;

import java.util.List;

/**
 * What the slots are doing now, for the shell's {@code batch:slots}. Registered by the queue component inside
 * this bundle only: the package is not exported.
 */
public interface SlotSource {

    /** @return every slot, in the order they appeared */
    List<SlotState.Status> slots();
}

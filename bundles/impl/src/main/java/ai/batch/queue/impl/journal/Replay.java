package ai.batch.queue.impl.journal;

import java.util.ArrayList;
import java.util.List;

import ai.batch.queue.impl.core.Change;
import ai.batch.queue.impl.core.QueueAdmin;

/** Applies recorded changes to a queue through its own methods, each at its recorded time. */
final class Replay {

    /**
     * What a replay did.
     *
     * @param applied the records that took effect, in order
     * @param problems one entry per record that could not be applied
     */
    record Result(List<JournalCodec.Decoded> applied, List<String> problems) {
    }

    private Replay() {
    }

    static Result apply(QueueAdmin queue, ReplayClock clock, List<JournalCodec.Decoded> records) {
        List<JournalCodec.Decoded> applied = new ArrayList<>(records.size());
        List<String> problems = new ArrayList<>();
        try {
            for (JournalCodec.Decoded record : records) {
                clock.fix(record.change().at());
                try {
                    queue.replay(record.change());
                    if (record.restoredDataType() != null) {
                        Change.Enqueued enqueued = (Change.Enqueued) record.change();
                        queue.setRestoredDataType(enqueued.job().id(), record.restoredDataType());
                    }
                    applied.add(record);
                } catch (RuntimeException e) {
                    problems.add("record " + record.seq() + " (" + record.change().getClass().getSimpleName()
                            + "): " + e.getMessage());
                }
            }
        } finally {
            clock.release();
        }
        return new Result(applied, problems);
    }
}

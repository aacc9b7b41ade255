package ai.batch.queue.impl.journal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.core.Change;
import ai.batch.queue.impl.core.QueueAdmin;

/**
 * Applies recorded changes to a queue through its own methods, each at its recorded time.
 *
 * <p>When records were lost ({@code repair}, or a job completes with an item still RUNNING, which the executor
 * never does), the queue's states must still make sense, and a job must never go
 * back to an earlier state because a record was skipped: a job whose completion is recorded is completed, with
 * any item whose result was lost made FAILED (an error saying so: {@code retryFailed} runs it again), and, at
 * the end, a running job whose items are all final is completed rather than put back in the queue. The changes
 * made so are returned with the applied records, so that the rewritten journal holds them.
 */
final class Replay {

    /** The error of an item whose result was lost with a damaged journal. */
    static final String LOST_RESULT = "the journal record of this item's result was lost (see the "
            + "journal_recovered event and the kept-aside journal file); retry the job's failed items to run it again";

    /**
     * What a replay did.
     *
     * @param applied the records that took effect, in order, with the changes made to repair the queue
     * @param problems one entry per record that could not be applied
     */
    record Result(List<JournalCodec.Decoded> applied, List<String> problems) {
        static Result none() {
            return new Result(List.of(), List.of());
        }
    }

    private Replay() {
    }

    static Result apply(QueueAdmin queue, ReplayClock clock, List<JournalCodec.Decoded> records, boolean repair) {
        List<JournalCodec.Decoded> applied = new ArrayList<>(records.size());
        List<String> problems = new ArrayList<>();
        boolean repairing = repair;
        Instant last = null;
        try {
            for (JournalCodec.Decoded record : records) {
                last = record.change().at();
                clock.fix(last);
                try {
                    if (record.change() instanceof Change.Completed completed) {
                        // the executor completes a job only once its items are settled: a RUNNING one lost its
                        // result, even where the sequence numbers cannot tell (before a compaction's checkpoint)
                        String running = runningItems(queue, completed.jobId());
                        if (!running.isEmpty() && !repairing) {
                            repairing = true;
                            problems.add("record " + record.seq() + " (Completed): job '" + completed.jobId()
                                    + "' completes with item(s) " + running + " still RUNNING: their results were"
                                    + " lost");
                        }
                        if (repairing) {
                            settleBeforeCompletion(queue, completed, applied);
                        }
                    }
                    queue.replay(record.change());
                    if (record.restoredDataType() != null) {
                        Change.Enqueued enqueued = (Change.Enqueued) record.change();
                        queue.setRestoredDataType(enqueued.job().id(), record.restoredDataType());
                    }
                    applied.add(record);
                } catch (RuntimeException e) {
                    repairing = true; // a record that does not apply is a record lost
                    problems.add("record " + record.seq() + " (" + record.change().getClass().getSimpleName()
                            + "): " + e.getMessage());
                }
            }
            if (repairing && last != null) {
                completeFinishedRunningJobs(queue, last, applied);
            }
        } finally {
            clock.release();
        }
        return new Result(applied, problems);
    }

    private static String runningItems(QueueAdmin queue, String jobId) {
        return queue.job(jobId).map(job -> job.items().stream()
                .filter(item -> item.status() == BatchItemStatus.RUNNING).map(BatchItem::id).toList().toString())
                .filter(ids -> !ids.equals("[]")).orElse("");
    }

    /** The job's start or item results were lost: starts it, and fails each item not yet final. */
    private static void settleBeforeCompletion(QueueAdmin queue, Change.Completed completed,
            List<JournalCodec.Decoded> applied) {
        Optional<BatchJob<?>> job = queue.job(completed.jobId());
        if (job.isEmpty()) {
            return;
        }
        if (job.get().status() == BatchJobStatus.QUEUED) {
            apply(queue, new Change.Started(completed.at(), completed.jobId()), applied);
        }
        for (BatchItem<?> item : job.get().items()) {
            if (item.status() == BatchItemStatus.PENDING || item.status() == BatchItemStatus.RUNNING) {
                apply(queue, new Change.ItemUpdated(completed.at(), completed.jobId(), item.id(),
                        BatchItemStatus.FAILED, LOST_RESULT, null, null), applied);
            }
        }
    }

    /** A running job with every item final lost its completion record: completes it instead of requeuing it. */
    private static void completeFinishedRunningJobs(QueueAdmin queue, Instant at,
            List<JournalCodec.Decoded> applied) {
        for (BatchJob<?> job : queue.jobs()) {
            if (job.status() == BatchJobStatus.RUNNING
                    && job.items().stream().allMatch(item -> item.status().isFinal())) {
                apply(queue, new Change.Completed(at, job.id()), applied);
            }
        }
    }

    private static void apply(QueueAdmin queue, Change change, List<JournalCodec.Decoded> applied) {
        queue.replay(change);
        applied.add(new JournalCodec.Decoded(0, change, null));
    }
}

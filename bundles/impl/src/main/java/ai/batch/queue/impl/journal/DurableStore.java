package ai.batch.queue.impl.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import ai.batch.queue.impl.core.QueueAdmin;
import ai.batch.queue.impl.notify.QueueListener.QueuedCause;

/**
 * The queue's durable store: rebuilds the queue from the journal, then records every change from then on.
 *
 * <p>Recovery keeps every intact record (see {@link JournalReader} for what counts as damage, and {@link Replay}
 * for how the queue is kept sound when records were lost). A last line cut short by a crash was never
 * acknowledged and is cut off. Any other damage is reported, the damaged file is kept aside
 * ({@code journal.log.damaged-<millis>.kept}) and the journal is rewritten with the records recovered, crash-safely
 * ({@link Recovery}). Items that were RUNNING go back to PENDING and their jobs to the queue (at-least-once: such
 * an item may run a second time).
 *
 * <p>A journal that cannot be used follows one rule: the queue starts with whatever the journal lets it read
 * (nothing if the file cannot be read), its running jobs go back to the queue as above, and it runs in memory
 * only ({@link Report#failure()} says why); the journal's files are left exactly as they were, damaged or not.
 * This holds for a read-only directory, a read-only file, an unreadable file and a directory that cannot be
 * created alike.
 */
public final class DurableStore implements AutoCloseable {

    /**
     * What recovery found.
     *
     * @param directory the journal's directory
     * @param recordsRecovered records replayed
     * @param jobs jobs in the rebuilt queue
     * @param requeued running jobs put back in the queue
     * @param lost records lost: unreadable lines, missing sequence numbers, damaged bytes after the last line
     *        (as one), records that no longer apply
     * @param problems one entry per damage found (a line lost, a number out of place, records missing, …)
     * @param movedAside where the damaged file is kept, or {@code null}
     * @param failure why the journal cannot be used (the queue then runs in memory only), or {@code null}
     */
    public record Report(Path directory, int recordsRecovered, int jobs, int requeued, long lost,
            List<String> problems, Path movedAside, Exception failure) {
    }

    private final Journal journal; // null: memory only
    private final Report report;

    private DurableStore(Journal journal, Report report) {
        this.journal = journal;
        this.report = report;
    }

    /**
     * Rebuilds {@code queue} (new, empty, its clock a {@link ReplayClock}) from the journal in {@code directory}
     * and attaches the journal to it; if the journal cannot be used, see the class comment.
     */
    public static DurableStore open(Path directory, QueueAdmin queue, ReplayClock clock,
            Consumer<Exception> onWriteFailure, String threadName) {
        return open(directory, queue, clock, onWriteFailure, threadName, JournalFiles.SYSTEM);
    }

    static DurableStore open(Path directory, QueueAdmin queue, ReplayClock clock,
            Consumer<Exception> onWriteFailure, String threadName, JournalFiles files) {
        JournalCodec codec = new JournalCodec();
        Path file = directory.resolve(Journal.FILE_NAME);
        JournalReader.Result read;
        Path aside = null; // a file kept aside by an earlier, unfinished rewrite, to recover from
        try {
            Files.createDirectories(directory);
            read = JournalReader.read(file, codec, files);
            Optional<Recovery.Found> interrupted = Recovery.interrupted(directory, read, codec, files);
            if (interrupted.isPresent()) {
                aside = interrupted.get().file();
                read = interrupted.get().read();
            }
        } catch (IOException | UncheckedIOException e) {
            return memoryOnly(directory, queue, Replay.Result.none(), 0, List.of(), e);
        }
        boolean rewrite = !read.problems().isEmpty() || aside != null;
        Replay.Result replay = Replay.apply(queue, clock, read.records(), rewrite);
        List<String> problems = new ArrayList<>(read.problems());
        problems.addAll(replay.problems());
        rewrite |= !problems.isEmpty();
        long lost = read.lost() + replay.problems().size();
        Journal journal;
        try {
            checkUsable(directory, file, files); // before anything changes on disk
            Recovery.removeLeftovers(directory);
            Occupancy occupancy = new Occupancy();
            long lastSeq;
            long records;
            if (rewrite) {
                List<Integer> sizes = new ArrayList<>();
                aside = Recovery.rewrite(directory, replay.applied(), codec, files, aside, sizes);
                add(occupancy, replay.applied(), sizes);
                lastSeq = replay.applied().size();
                records = lastSeq;
            } else {
                if (read.cutShort()) {
                    files.truncate(file, Files.size(file) - cutLength(files.read(file)));
                }
                add(occupancy, read.records(), read.sizes());
                lastSeq = read.lastSeq();
                records = read.records().size();
            }
            journal = Journal.open(directory, codec, lastSeq, records, occupancy, onWriteFailure, threadName, files);
        } catch (IOException | UncheckedIOException e) {
            removeTemporary(directory); // a rewrite that failed (disk full, …) leaves no half-written file
            return memoryOnly(directory, queue, replay, lost, problems, e);
        }
        queue.setChangeLog(journal);
        int requeued = queue.requeueAllRunning(QueuedCause.RECOVERED);
        return new DurableStore(journal, new Report(directory, replay.applied().size(), queue.jobCount(), requeued,
                lost, List.copyOf(problems), aside, null));
    }

    private static void removeTemporary(Path directory) {
        try {
            Recovery.removeLeftovers(directory);
        } catch (IOException e) {
            // nothing more to do: the next start removes it
        }
    }

    /** Fails, changing nothing, unless the directory and the journal (if there is one) can be written. */
    private static void checkUsable(Path directory, Path file, JournalFiles files) throws IOException {
        files.checkWritable(directory);
        if (Files.exists(file)) {
            files.openForAppend(file).close();
        }
    }

    /** Nothing is written: the damaged file, if any, stays where it is (it is the copy kept). */
    private static DurableStore memoryOnly(Path directory, QueueAdmin queue, Replay.Result replay, long lost,
            List<String> problems, Exception failure) {
        int requeued = queue.requeueAllRunning(QueuedCause.RECOVERED); // no change log: in memory
        return new DurableStore(null, new Report(directory, replay.applied().size(), queue.jobCount(), requeued,
                lost, List.copyOf(problems), null, failure));
    }

    private static void add(Occupancy occupancy, List<JournalCodec.Decoded> records, List<Integer> sizes) {
        for (int i = 0; i < records.size(); i++) {
            occupancy.add(records.get(i).change(), sizes.get(i));
        }
    }

    /** @return the length of the part after the last newline */
    private static long cutLength(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        return bytes.length - end;
    }

    public Report report() {
        return report;
    }

    /**
     * Compacts the journal when it holds more than {@code maxRecords} records and compacting would drop at least
     * half of the file (see {@link Occupancy}): records a checkpoint, at which the writer rewrites the file with
     * only the jobs still alive.
     *
     * @return whether a checkpoint was recorded
     */
    public boolean compactIfLarger(QueueAdmin queue, long maxRecords) {
        if (journal == null || journal.failed() || journal.recordsInFile() <= maxRecords
                || !journal.worthCompacting()) {
            return false;
        }
        queue.checkpoint();
        return true;
    }

    /** @return how many times the journal was compacted since it was opened */
    public long compactions() {
        return journal == null ? 0 : journal.compactions();
    }

    /** @return the records in the journal file now */
    public long recordsInFile() {
        return journal == null ? 0 : journal.recordsInFile();
    }

    /** @return whether changes are not recorded (the journal cannot be used, or stopped after a write failure) */
    public boolean failed() {
        return journal == null || journal.failed();
    }

    @Override
    public void close() {
        if (journal != null) {
            journal.close();
        }
    }
}

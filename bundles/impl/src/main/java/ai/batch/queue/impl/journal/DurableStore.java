package ai.batch.queue.impl.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import ai.batch.queue.impl.core.QueueAdmin;
import ai.batch.queue.impl.notify.QueueListener.QueuedCause;

/**
 * The queue's durable store: rebuilds the queue from the journal, then records every change from then on.
 *
 * <p>Recovery keeps every intact record. A last line cut short by a crash was never acknowledged and is cut off.
 * Any other damage (an unreadable line, a record that no longer applies, a file of another format) is reported,
 * the damaged file is moved aside ({@code journal.log.damaged-<millis>}) and a new journal is written with the
 * records that were recovered. Items that were RUNNING go back to PENDING and their jobs to the queue
 * (at-least-once: such an item may run a second time).
 */
public final class DurableStore implements AutoCloseable {

    /**
     * What recovery found.
     *
     * @param directory the journal's directory
     * @param recordsRecovered records replayed
     * @param jobs jobs in the rebuilt queue
     * @param requeued running jobs put back in the queue
     * @param problems one entry per record lost
     * @param movedAside where the damaged file went, or {@code null}
     */
    public record Report(Path directory, int recordsRecovered, int jobs, int requeued, List<String> problems,
            Path movedAside) {
    }

    private final Journal journal;
    private final Report report;

    private DurableStore(Journal journal, Report report) {
        this.journal = journal;
        this.report = report;
    }

    /**
     * Rebuilds {@code queue} (new, empty, its clock a {@link ReplayClock}) from the journal in {@code directory}
     * and attaches the journal to it.
     *
     * @throws IOException if the directory cannot be read or written; the queue is then left as it was
     */
    public static DurableStore open(Path directory, QueueAdmin queue, ReplayClock clock,
            Consumer<Exception> onWriteFailure, String threadName) throws IOException {
        JournalCodec codec = new JournalCodec();
        Files.createDirectories(directory);
        Path file = directory.resolve(Journal.FILE_NAME);
        checkWritable(directory);
        JournalReader.Result read = JournalReader.read(file, codec);
        Replay.Result replay = Replay.apply(queue, clock, read.records());
        List<String> problems = new ArrayList<>(read.problems());
        problems.addAll(replay.problems());
        Path movedAside = null;
        Journal journal;
        if (!problems.isEmpty()) {
            movedAside = directory.resolve(Journal.FILE_NAME + ".damaged-" + System.currentTimeMillis());
            Files.move(file, movedAside);
            journal = Journal.open(directory, codec, 0, 0, onWriteFailure, threadName);
            for (JournalCodec.Decoded record : replay.applied()) {
                journal.append(record.change(), record.restoredDataType());
            }
            journal.awaitDurable(journal.lastSeq());
        } else {
            if (read.cutShort()) {
                cutOffPartialLine(file);
            }
            journal = Journal.open(directory, codec, read.lastSeq(), read.records().size(), onWriteFailure,
                    threadName);
        }
        queue.setChangeLog(journal);
        int requeued = queue.requeueAllRunning(QueuedCause.RECOVERED);
        Report report = new Report(directory, replay.applied().size(), queue.jobCount(), requeued,
                List.copyOf(problems), movedAside);
        return new DurableStore(journal, report);
    }

    private static void checkWritable(Path directory) throws IOException {
        Path probe = Files.createTempFile(directory, "write-check", ".tmp");
        Files.delete(probe);
    }

    /** Cuts the file after its last complete line. */
    private static void cutOffPartialLine(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(end);
            channel.force(true);
        }
    }

    public Report report() {
        return report;
    }

    /**
     * Compacts the journal when it holds more than {@code maxRecords} records: records a checkpoint, at which the
     * writer rewrites the file with only the jobs still alive.
     *
     * @return whether a checkpoint was recorded
     */
    public boolean compactIfLarger(QueueAdmin queue, long maxRecords) {
        if (journal.failed() || journal.recordsInFile() <= maxRecords) {
            return false;
        }
        queue.checkpoint();
        return true;
    }

    /** @return how many times the journal was compacted since it was opened */
    public long compactions() {
        return journal.compactions();
    }

    /** @return the records in the journal file now */
    public long recordsInFile() {
        return journal.recordsInFile();
    }

    /** @return whether the journal stopped after a write failure (the queue then runs in memory only) */
    public boolean failed() {
        return journal.failed();
    }

    @Override
    public void close() {
        journal.close();
    }
}

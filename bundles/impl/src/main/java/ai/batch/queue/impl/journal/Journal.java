package ai.batch.queue.impl.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import ai.batch.queue.impl.core.Change;
import ai.batch.queue.impl.core.ChangeLog;

/**
 * The append-only journal file with group commit: changes are encoded under the queue's lock and handed to one
 * writer thread, which writes everything pending in one go and forces it to disk ({@code fsync}) before
 * releasing every caller waiting for it. A failed write makes the journal stop (the queue carries on in memory)
 * and is reported once through {@code onFailure}.
 */
public final class Journal implements ChangeLog, AutoCloseable {

    static final String FILE_NAME = "journal.log";

    private final Path file;
    private FileChannel channel; // used by the writer thread only, after construction
    private final JournalCodec codec;
    private final Consumer<Exception> onFailure;
    private final Object lock = new Object();
    private final List<Entry> pending = new ArrayList<>();
    private final Thread writer;
    private long appendedSeq;
    private long durableSeq;
    private long recordsInFile;
    private final Occupancy occupancy;
    private long compactions;
    private boolean failed;
    private boolean closed;

    private Journal(Path file, FileChannel channel, JournalCodec codec, long lastSeq, long recordsInFile,
            Occupancy occupancy, Consumer<Exception> onFailure, String threadName) {
        this.occupancy = occupancy;
        this.file = file;
        this.channel = channel;
        this.codec = codec;
        this.appendedSeq = lastSeq;
        this.durableSeq = lastSeq;
        this.recordsInFile = recordsInFile;
        this.onFailure = onFailure;
        this.writer = new Thread(this::writeLoop, threadName);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Opens (creating it if needed) the journal in a directory for appending after {@code lastSeq}.
     *
     * @param occupancy what the records already in the file take up
     * @throws IOException if the directory or file cannot be created or written
     */
    static Journal open(Path directory, JournalCodec codec, long lastSeq, long recordsInFile, Occupancy occupancy,
            Consumer<Exception> onFailure, String threadName, JournalFiles files) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = files.openForAppend(file);
        return new Journal(file, channel, codec, lastSeq, recordsInFile, occupancy, onFailure, threadName);
    }

    Path file() {
        return file;
    }

    @Override
    public long append(Change change) {
        return append(change, null);
    }

    /** Appends a restored change; see {@link JournalCodec#encode(long, Change, String)}. */
    long append(Change change, String restoredDataType) {
        synchronized (lock) {
            if (failed || closed) {
                return 0;
            }
            // may reject the change: then nothing is appended
            byte[] line = codec.encode(appendedSeq + 1, change, restoredDataType);
            occupancy.add(change, line.length);
            pending.add(new Entry(line, change instanceof Change.Checkpoint checkpoint ? checkpoint.liveJobIds()
                    : null));
            appendedSeq++;
            lock.notifyAll();
            return appendedSeq;
        }
    }

    @Override
    public void awaitDurable(long ticket) {
        if (ticket == 0) {
            return;
        }
        synchronized (lock) {
            while (durableSeq < ticket && !failed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** @return how many records the file holds (for compaction) */
    long recordsInFile() {
        synchronized (lock) {
            return recordsInFile;
        }
    }

    /** @return whether compacting now would drop at least half of the file (see {@link Occupancy}) */
    boolean worthCompacting() {
        synchronized (lock) {
            return occupancy.worthCompacting();
        }
    }

    /** @return the sequence number of the last record appended */
    long lastSeq() {
        synchronized (lock) {
            return appendedSeq;
        }
    }

    boolean failed() {
        synchronized (lock) {
            return failed;
        }
    }

    /** @return how many times the file was compacted */
    long compactions() {
        synchronized (lock) {
            return compactions;
        }
    }

    /** A line to write; a checkpoint carries the jobs to keep when the file is compacted at it. */
    private record Entry(byte[] line, java.util.Set<String> liveJobIds) {
    }

    private void writeLoop() {
        while (true) {
            List<Entry> batch;
            long target;
            synchronized (lock) {
                while (pending.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (pending.isEmpty()) {
                    return; // closed, everything written
                }
                batch = new ArrayList<>(pending);
                pending.clear();
                target = appendedSeq;
            }
            try {
                writeBatch(batch);
                synchronized (lock) {
                    durableSeq = target;
                    lock.notifyAll();
                }
            } catch (IOException | RuntimeException e) {
                synchronized (lock) {
                    failed = true;
                    pending.clear();
                    lock.notifyAll();
                }
                onFailure.accept(e);
                return;
            }
        }
    }

    /** Writes and forces the lines, compacting the file at each checkpoint. */
    private void writeBatch(List<Entry> batch) throws IOException {
        List<byte[]> lines = new ArrayList<>(batch.size());
        for (Entry entry : batch) {
            if (entry.liveJobIds() == null) {
                lines.add(entry.line());
                continue;
            }
            writeAndForce(lines);
            lines.clear();
            compact(entry);
        }
        writeAndForce(lines);
    }

    private void writeAndForce(List<byte[]> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        ByteBuffer[] buffers = lines.stream().map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
        long left = lines.stream().mapToLong(line -> line.length).sum();
        while (left > 0) {
            left -= channel.write(buffers);
        }
        channel.force(false);
        synchronized (lock) {
            recordsInFile += lines.size();
        }
    }

    /**
     * Rewrites the file with the records of the jobs still alive and the checkpoint, atomically: a crash leaves
     * either the old file or the new one.
     */
    private void compact(Entry checkpoint) throws IOException {
        String[] lines = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8).split("\n");
        Path next = file.resolveSibling(FILE_NAME + ".compacting");
        long kept = 0;
        long bytes = checkpoint.line().length;
        try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (String line : lines) {
                if (!line.isBlank() && codec.keepAtCompaction(line, checkpoint.liveJobIds())) {
                    byte[] keptLine = (line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    write(out, keptLine);
                    bytes += keptLine.length;
                    kept++;
                }
            }
            write(out, checkpoint.line());
            out.force(true);
        }
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true); // the rename itself is durable
        }
        channel.close();
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        synchronized (lock) {
            recordsInFile = kept + 1;
            occupancy.compacted(bytes, checkpoint.line().length);
            compactions++;
        }
    }

    private static void write(FileChannel out, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Writes what is pending, then closes the file. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            writer.join(10_000);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            onFailure.accept(e);
        }
    }
}

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
    private final FileChannel channel;
    private final JournalCodec codec;
    private final Consumer<Exception> onFailure;
    private final Object lock = new Object();
    private final List<byte[]> pending = new ArrayList<>();
    private final Thread writer;
    private long appendedSeq;
    private long durableSeq;
    private long recordsInFile;
    private boolean failed;
    private boolean closed;

    private Journal(Path file, FileChannel channel, JournalCodec codec, long lastSeq, long recordsInFile,
            Consumer<Exception> onFailure, String threadName) {
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
     * @throws IOException if the directory or file cannot be created or written
     */
    static Journal open(Path directory, JournalCodec codec, long lastSeq, long recordsInFile,
            Consumer<Exception> onFailure, String threadName) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        channel.force(true); // fails early on a file system that cannot sync
        return new Journal(file, channel, codec, lastSeq, recordsInFile, onFailure, threadName);
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
            pending.add(line);
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

    private void writeLoop() {
        while (true) {
            List<byte[]> batch;
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
                ByteBuffer[] buffers = batch.stream().map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
                long left = batch.stream().mapToLong(line -> line.length).sum();
                while (left > 0) {
                    left -= channel.write(buffers);
                }
                channel.force(false);
                synchronized (lock) {
                    durableSeq = target;
                    recordsInFile += batch.size();
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

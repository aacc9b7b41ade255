package ai.batch.queue.impl.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Every file operation of the journal's recovery, in one place so that a test can make any of them fail: a
 * read-only file or directory (permissions do not stop root, who runs the tests), or a crash between two steps
 * of a recovery ({@link #before}).
 */
class JournalFiles {

    /** The steps of rewriting a damaged journal, in order; a crash may come before any of them. */
    enum Step {
        /** keeping the damaged file aside, under another name (a hard link or a synced copy) */
        KEEP_ASIDE,
        /** writing the recovered records to a temporary file */
        WRITE_NEW,
        /** forcing the temporary file to disk */
        SYNC_NEW,
        /** renaming the temporary file over the journal (atomic) */
        REPLACE,
        /** forcing the directory, so that the rename itself is durable */
        SYNC_DIRECTORY
    }

    static final JournalFiles SYSTEM = new JournalFiles();

    /** A fault point: does nothing here; a test throws from it to simulate a crash before {@code step}. */
    void before(Step step) throws IOException {
    }

    /** @return the file's bytes, or {@code null} if there is no such file */
    byte[] read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        return Files.readAllBytes(file);
    }

    /** Fails unless a file can be created in {@code directory}. */
    void checkWritable(Path directory) throws IOException {
        Path probe = Files.createTempFile(directory, "write-check", ".tmp");
        Files.delete(probe);
    }

    /** Opens (creating it if needed) a file for appending, and checks that it can be forced to disk. */
    FileChannel openForAppend(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            channel.force(true); // fails early on a file system that cannot sync
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    /** Keeps {@code file} under the name {@code aside} too: a hard link, or a synced copy where links fail. */
    void keepAside(Path file, Path aside) throws IOException {
        try {
            Files.createLink(aside, file);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(file, aside, StandardCopyOption.COPY_ATTRIBUTES);
            force(aside);
        }
    }

    /** Writes {@code lines} to a new file (replacing any leftover of an earlier attempt). */
    void write(Path file, List<byte[]> lines) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (byte[] line : lines) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        }
    }

    void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    void replace(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Cuts the file to {@code length} bytes and forces it. */
    void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
            channel.force(true);
        }
    }
}

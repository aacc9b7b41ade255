package ai.batch.queue.openai;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes Batch input lines into as many files as OpenAI's limits require, and puts them in place only when all
 * is written.
 *
 * <p>An input file holds at most {@value #MAX_REQUESTS} requests and 200 MB. A job over either limit is split
 * rather than refused: a user exporting a job wants all of it submitted, and splitting by hand would mean
 * cutting the job apart, which the queue does not offer. Each file is then one batch, and each output file
 * imports on its own ({@code custom_id} is the item id, so the order of imports does not matter). A job that
 * fits is written to the file it was asked for; one that does not goes to numbered files beside it
 * ({@code name-001.jsonl}, {@code name-002.jsonl}, …) and not to the name itself, so no file looks like the
 * whole job when it is not.
 *
 * <p>Lines go to temporary files in the target's directory, moved into place by {@link #commit()}. An export
 * that fails or is refused half-way ({@link #close()} without commit) leaves nothing behind, not even an empty
 * file that could be uploaded by mistake.
 */
final class BatchFileWriter implements Closeable {

    /** The most requests in one Batch input file. */
    static final int MAX_REQUESTS = 50_000;

    /** 200 MB, read as 200,000,000 bytes: the smaller of its two readings, so a file is never refused for it. */
    static final long MAX_BYTES = 200_000_000L;

    private final Path target;
    private final int maxRequests;
    private final long maxBytes;
    private final List<Path> parts = new ArrayList<>();
    private Writer out;
    private int requests;
    private long bytes;
    private int total;
    private boolean committed;

    BatchFileWriter(Path target) {
        this(target, MAX_REQUESTS, MAX_BYTES);
    }

    /** With other limits, for tests that cannot write 200 MB. */
    BatchFileWriter(Path target, int maxRequests, long maxBytes) {
        this.target = target.toAbsolutePath();
        this.maxRequests = maxRequests;
        this.maxBytes = maxBytes;
    }

    /** @return whether a line of this many bytes (its newline included) fits in a file at all */
    boolean fits(long lineBytes) {
        return lineBytes <= maxBytes;
    }

    /**
     * @param line one request line, without its newline; {@link #fits} its length
     * @throws IOException when writing fails
     */
    void add(String line) throws IOException {
        long size = line.getBytes(StandardCharsets.UTF_8).length + 1L;
        if (out == null || requests >= maxRequests || bytes + size > maxBytes) {
            next();
        }
        out.write(line);
        out.write('\n');
        requests++;
        bytes += size;
        total++;
    }

    private void next() throws IOException {
        if (out != null) {
            out.close();
        }
        Path part = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
        parts.add(part);
        out = new BufferedWriter(Files.newBufferedWriter(part, StandardCharsets.UTF_8));
        requests = 0;
        bytes = 0;
    }

    /** @return how many lines were added */
    int lines() {
        return total;
    }

    /**
     * Moves what was written into place: one file under the target's name, or numbered files beside it.
     *
     * @return the files written, in order
     * @throws IOException when closing or moving fails (the temporary files are then removed by {@link #close()})
     */
    List<Path> commit() throws IOException {
        if (out != null) {
            out.close();
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            files.add(parts.size() == 1 ? target : numbered(target, i + 1));
        }
        for (int i = 0; i < parts.size(); i++) {
            move(parts.get(i), files.get(i));
        }
        committed = true;
        return files;
    }

    /** @return e.g. {@code tags-002.jsonl} for {@code tags.jsonl}, {@code tags-002} for {@code tags} */
    static Path numbered(Path target, int number) {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String suffix = String.format("-%03d", number);
        return target.resolveSibling(dot > 0 ? name.substring(0, dot) + suffix + name.substring(dot)
                : name + suffix);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes whatever was not moved into place. */
    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
        if (!committed) {
            for (Path part : parts) {
                Files.deleteIfExists(part);
            }
        }
    }
}

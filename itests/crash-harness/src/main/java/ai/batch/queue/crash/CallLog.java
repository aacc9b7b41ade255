package ai.batch.queue.crash;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code calls.log}: one line {@code <life> <jobId> <itemId>} per handler call, on disk before the handler
 * does any work. Shared by all handlers of one life; lines never interleave.
 */
final class CallLog implements AutoCloseable {

    private final int life;
    private final FileChannel channel;

    private CallLog(int life, FileChannel channel) {
        this.life = life;
        this.channel = channel;
    }

    static CallLog open(Path file, int life) throws IOException {
        return new CallLog(life, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    /** Records a call and forces it to disk; returns only when the line would survive a kill of the process. */
    synchronized void called(String jobId, String itemId) throws IOException {
        DurableFiles.writeFully(channel, (life + " " + jobId + " " + itemId + "\n").getBytes(StandardCharsets.UTF_8));
        channel.force(true);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}

package ai.batch.queue.benchmarks.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A browser that hangs: it opens the event stream with a tiny receive buffer, reads up to the end of the first
 * frame (so the dashboard has taken it on) and never reads again. The dashboard must go on without it; what it
 * keeps for it stays bounded.
 */
final class StalledViewer implements Viewer {

    private static final int RECEIVE_BUFFER = 2048;
    private static final int READ_TIMEOUT_MS = 60_000;

    private final Socket socket;

    private StalledViewer(Socket socket) {
        this.socket = socket;
    }

    static StalledViewer open(URI page) {
        Socket socket = new Socket();
        try {
            socket.setReceiveBufferSize(RECEIVE_BUFFER);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.connect(new InetSocketAddress(page.getHost(), page.getPort()), READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + page.getPath() + "/api/events HTTP/1.1\r\nHost: " + page.getHost() + ":"
                    + page.getPort() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readFirstFrame(socket.getInputStream(), page);
            return new StalledViewer(socket);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw new IllegalStateException("Cannot open a stalled stream on " + page + ": " + e, e);
        }
    }

    /** Reads byte by byte up to the blank line after the first {@code event:} line, and not one byte more. */
    private static void readFirstFrame(InputStream in, URI page) throws IOException {
        StringBuilder seen = new StringBuilder();
        int eventAt = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the dashboard closed the stream before its first frame: " + seen);
            }
            seen.append((char) b);
            if (eventAt < 0) {
                eventAt = seen.indexOf("\nevent:");
            } else if (seen.indexOf("\n\n", eventAt + 1) > 0) {
                if (!seen.toString().startsWith("HTTP/1.1 200")) {
                    throw new IOException(page + " answered " + seen.substring(0, seen.indexOf("\r\n")));
                }
                return;
            }
        }
    }

    @Override
    public long framesReceived() {
        return 1;
    }

    @Override
    public void requireLive(long framesBefore) {
        if (socket.isClosed() || !socket.isConnected()) {
            throw new IllegalStateException("The stalled viewer's connection is gone");
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}

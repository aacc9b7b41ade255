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
 * keeps for it stays bounded. A stream that takes nothing for {@code sse.heartbeatMs} (15 s by default) is dropped
 * by the dashboard, so in a trial longer than that the viewer ends disconnected by the server: that is the
 * expected outcome, and {@link #requireLive} reports which of the two it saw.
 */
final class StalledViewer implements Viewer {

    private static final int RECEIVE_BUFFER = 2048;
    private static final int READ_TIMEOUT_MS = 60_000;
    /** How long the end-of-trial probe reads: past what the socket buffers hold, well below a heartbeat. */
    private static final long PROBE_MS = 10_000;

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

    /**
     * Accepts both outcomes: still connected, or dropped by the dashboard for taking nothing for a heartbeat
     * interval (the server closed the stream: reading now ends in end-of-stream). Says on standard output which it
     * was. Fails only when this side lost the socket.
     */
    @Override
    public void requireLive(long framesBefore) {
        if (socket.isClosed() || !socket.isConnected()) {
            throw new IllegalStateException("The stalled viewer's connection is gone");
        }
        System.out.println("case (j) stalled viewer: " + (droppedByServer()
                ? "dropped by the dashboard (it took nothing for sse.heartbeatMs), as intended"
                : "still connected at the end of the trial (shorter than sse.heartbeatMs)"));
    }

    /**
     * Reads what the socket holds until the response ends (dropped) or a quiet spell (still open), within a
     * deadline. A dropped stream ends its chunked body ({@code 0\r\n\r\n}) once its pending write drains, and
     * the server may keep the connection open for another request, so the end of the body counts as well as an
     * end-of-stream.
     */
    private boolean droppedByServer() {
        byte[] buffer = new byte[8192];
        String tail = "";
        long deadline = System.nanoTime() + PROBE_MS * 1_000_000;
        try {
            socket.setSoTimeout(500);
            InputStream in = socket.getInputStream();
            while (System.nanoTime() < deadline) {
                int n = in.read(buffer);
                if (n < 0) {
                    return true;
                }
                tail = tail + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                if (tail.contains("\r\n0\r\n\r\n")) {
                    return true;
                }
                tail = tail.substring(Math.max(0, tail.length() - 8));
            }
            return false;
        } catch (java.net.SocketTimeoutException quiet) {
            return false;
        } catch (IOException reset) {
            return true; // a reset connection is a dropped one too
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

package ai.batch.queue.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between the browser and the demo, which records what the browser sends and can cut every
 * connection at once: a dropped event stream as the browser sees it.
 */
final class BrowserRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<StringBuffer> sent = new CopyOnWriteArrayList<>();

    BrowserRelay(int target) throws IOException {
        this.target = target;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket browser = server.accept();
                Socket demo = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(browser);
                open.add(demo);
                StringBuffer record = new StringBuffer();
                sent.add(record);
                pump(browser.getInputStream(), demo.getOutputStream(), record, browser, demo);
                pump(demo.getInputStream(), browser.getOutputStream(), null, browser, demo);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void pump(InputStream in, OutputStream out, StringBuffer record, Socket a, Socket b) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (record != null) {
                        record.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side is gone
            } finally {
                closeQuietly(a);
                closeQuietly(b);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** Every request the browser sent, as text (request line and headers first). */
    List<String> requests() {
        List<String> requests = new ArrayList<>();
        for (StringBuffer record : sent) {
            for (String request : record.toString().split("(?=(GET|POST) /)")) {
                if (!request.isBlank()) {
                    requests.add(request);
                }
            }
        }
        return requests;
    }

    void dropAll() {
        sent.clear();
        open.forEach(BrowserRelay::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropAll();
    }
}

package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The dashboard's limits over real HTTP (Felix HTTP on Jetty 12, loopback only): the Host it answers, the methods
 * of the event stream, the most streams open at once, streams of browsers that went away, TRACE, and the page's
 * policy. Requests whose Host a Java HTTP client may not set go over a plain socket.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DashboardLimitsIT extends QueueTestSupport {

    private static final String PID = "ai.batch.queue.web";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final int STREAMS = 16;

    @Inject
    private ConfigurationAdmin configAdmin;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private int port;
    private String base;

    @Override
    @Configuration
    public Option[] config() {
        return TestOptions.runtime(
                mavenBundle("org.ops4j.pax.logging", "pax-logging-api").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.http.servlet-api").versionAsInProject(),
                mavenBundle("commons-io", "commons-io").versionAsInProject(),
                mavenBundle("commons-fileupload", "commons-fileupload").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.http.jetty12").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.inventory").versionAsInProject(),
                mavenBundle("org.owasp.encoder", "encoder").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.webconsole").versionAsInProject(),
                TestOptions.builtBundle("bundle.web"),
                frameworkProperty("org.osgi.service.http.port").value(String.valueOf(freePort())),
                frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"),
                frameworkProperty("org.apache.felix.http.log.jul").value("true"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    @Before
    public void configure() throws Exception {
        port = Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
        base = "http://127.0.0.1:" + port + "/batch";
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("actions.enabled", true);
        properties.put("sse.heartbeatMs", 1_000L);
        properties.put("sse.maxClients", STREAMS);
        properties.put("allowedHosts", new String[] {"queue.example.org"});
        configAdmin.getConfiguration(PID, "?").update(properties);
        await(() -> {
            try {
                return request("GET", "/batch/api/stats", "queue.example.org").startsWith("HTTP/1.1 200");
            } catch (UncheckedIOException notYet) {
                return false;
            }
        }, "the dashboard serving its configuration");
    }

    @After
    public void deleteConfiguration() throws Exception {
        if (configAdmin.listConfigurations("(service.pid=" + PID + ")") != null) {
            configAdmin.getConfiguration(PID, "?").delete();
        }
        queue.resume();
    }

    @Test
    public void onlyAllowedHostsGetAnAnswer() throws Exception {
        String id = queue.enqueue(job("web-hosts", "tag", "secret-item"));
        for (String path : new String[] {"/batch", "/batch/api/jobs", "/batch/api/jobs/" + id, "/batch/api/session",
            "/batch/api/events", "/batch/static/dashboard.js"}) {
            String answer = request("GET", path, "evil.example:" + port);
            assertTrue(path + ": " + answer, answer.startsWith("HTTP/1.1 421 "));
            assertTrue(answer, answer.contains("host 'evil.example:" + port + "'"));
            assertFalse(answer, answer.contains("secret-item") || answer.contains("Set-Cookie"));
        }
        String pause = request("POST", "/batch/api/pause", "evil.example:" + port);
        assertTrue(pause, pause.startsWith("HTTP/1.1 421 "));
        assertFalse(queue.isPaused());
        assertTrue(request("GET", "/batch/api/jobs/" + id, "localhost:" + port).contains("secret-item"));
        assertTrue(request("GET", "/batch/api/jobs/" + id, "[::1]:" + port).startsWith("HTTP/1.1 200"));
        assertTrue(request("GET", "/batch/api/jobs/" + id, "queue.example.org:8443").startsWith("HTTP/1.1 200"));

        String console = request("GET", "/system/console/batch", "evil.example:" + port,
                "Authorization: Basic " + Base64.getEncoder().encodeToString(
                        "admin:admin".getBytes(StandardCharsets.UTF_8)));
        assertFalse("the console view is not given to a foreign host: " + console, console.contains("bq-root"));
        queue.cancelJob(id);
    }

    @Test
    public void theStreamAnswersOnlyGetAndTraceIsOff() throws Exception {
        for (String method : new String[] {"HEAD", "POST", "PUT", "DELETE", "OPTIONS"}) {
            String answer = request(method, "/batch/api/events", "127.0.0.1:" + port);
            assertTrue(method + ": " + answer, answer.startsWith("HTTP/1.1 405 "));
            assertTrue(method + ": " + answer, answer.contains("\r\nAllow: GET\r\n"));
        }
        String trace = request("TRACE", "/batch", "127.0.0.1:" + port, "Cookie: bq-csrf=private");
        assertTrue(trace, trace.startsWith("HTTP/1.1 405 "));
        assertFalse(trace, trace.contains("bq-csrf=private"));
        String page = request("GET", "/batch", "127.0.0.1:" + port);
        String policy = page.lines().filter(line -> line.startsWith("Content-Security-Policy:")).findFirst()
                .orElse("");
        assertTrue(page, policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"));
        assertTrue(request("GET", "/batch/static/dashboard.js", "127.0.0.1:" + port).startsWith("HTTP/1.1 200"));
    }

    @Test
    public void headRequestsAndAbandonedStreamsLeaveNoStreamOpen() throws Exception {
        long filesBefore = openFiles();
        // each HEAD on the stream used to open a stream into a discarded body that never ended
        for (int i = 0; i < 2_000; i++) {
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(405, head.statusCode());
            assertEquals("GET", head.headers().firstValue("Allow").orElse(""));
        }
        long filesAfterHeads = openFiles();
        // browsers that connect and go away: their streams are dropped within a heartbeat or two (1 s here), so
        // each round finds room for sse.maxClients streams again, and one more is refused
        int rounds = 5;
        for (int round = 0; round < rounds; round++) {
            List<Socket> held = holdStreams("round " + round);
            try (Socket refused = streamSocket()) {
                String answer = headers(refused);
                assertTrue(answer, answer.startsWith("HTTP/1.1 503 ")
                        && answer.contains("\r\nRetry-After: 5\r\n"));
            } finally {
                for (Socket socket : held) {
                    socket.close(); // gone without a word, as a closed tab
                }
            }
        }
        holdStreams("the last round").forEach(DashboardLimitsIT::closeQuietly);
        long[] files = new long[1];
        await(() -> {
            files[0] = openFiles();
            return files[0] <= filesBefore + 8;
        }, "open files back to about " + filesBefore);
        System.out.println("DashboardLimitsIT: open files " + filesBefore + " before, " + filesAfterHeads
                + " after 2,000 HEADs, " + files[0] + " after " + (rounds + 1) * STREAMS + " abandoned streams");
    }

    /** Opens sse.maxClients streams, waiting until the dashboard has room for all of them. */
    private List<Socket> holdStreams(String when) throws InterruptedException {
        List<Socket> held = new ArrayList<>();
        await(() -> {
            try {
                Socket socket = streamSocket();
                if (statusLine(socket).equals("HTTP/1.1 200 OK")) {
                    held.add(socket);
                } else {
                    socket.close();
                }
            } catch (IOException e) {
                return false;
            }
            return held.size() == STREAMS;
        }, "room for " + STREAMS + " streams after " + when);
        return held;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }

    /** A raw connection that asks for the event stream (an abandoned browser, once closed). */
    private Socket streamSocket() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /batch/api/events HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static String statusLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString().trim();
    }

    /** The status line and headers of the answer, up to the blank line. */
    private static String headers(Socket socket) throws IOException {
        StringBuilder head = new StringBuilder();
        InputStream in = socket.getInputStream();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** One request with the given Host over a fresh connection; the whole answer (closed after it), as text. */
    private String request(String method, String path, String host, String... headers) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\nContent-Length: 0\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File descriptors of this JVM (the framework, Jetty and the test): a leaked stream keeps its socket. */
    private static long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            synchronized (monitor) {
                monitor.wait(50);
            }
        }
    }
}

package ai.batch.queue.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;

/** The servlet's own checks, before any work: the Host, the methods, the stream limits, sessions and the page. */
class DashboardServletTest {

    private static final long MS = 1_000_000L;
    private static final Pattern TOKEN = Pattern.compile("\"csrfToken\":\"([^\"]+)\"");

    private final CoreBatchQueue queue = new CoreBatchQueue();
    private final WebSettings settings = new WebSettings("/batch", true, 10, 256, 1024, 1_000, 200);
    private final QueueActivity activity = new QueueActivity(10, jobId -> null);
    private final SseHub hub = new SseHub(settings, () -> "{}", 0);
    private final DashboardServlet servlet = new DashboardServlet(settings,
            new QueueApi(queue, new JobViews(queue, activity)), hub);

    private String secretJob() {
        return queue.enqueue(BatchJob.of("secret-model", "tag", OverwritePolicy.OVERWRITE,
                List.of(BatchItem.of("secret-item", "/private/photo.jpg", SizeBucket.SMALL))));
    }

    @Test
    void aForeignHostGetsNothingFromThePageRestStreamOrSession() throws Exception {
        secretJob();
        for (String path : new String[] {null, "/", "/api/jobs", "/api/plan", "/api/stats", "/api/session",
            "/api/events", "/static/dashboard.js"}) {
            FakeHttp.Exchange x = FakeHttp.send(servlet, "GET", path, "evil.example:8088");
            assertThat(x.status).as(path).isEqualTo(421);
            assertThat(x.header("Content-Type")).as(path).startsWith("text/plain");
            assertThat(x.body()).as(path).contains("evil.example:8088").doesNotContain("secret");
            assertThat(x.asyncStarted).as(path).isFalse();
            assertThat(x.sessionsCreated).as(path).hasValue(0);
            assertThat(x.headers("Set-Cookie")).as(path).isEmpty();
        }
        assertThat(hub.clientCount()).isZero();
        FakeHttp.Exchange pause = FakeHttp.send(servlet, new FakeHttp.Exchange("POST", "/api/pause")
                .header("Host", "evil.example:8088").header("Origin", "http://evil.example:8088"));
        assertThat(pause.status).isEqualTo(421);
        assertThat(queue.isPaused()).isFalse();
    }

    @Test
    void loopbackNamesAndTheBoundAddressAreAllowedWithAnyPort() throws Exception {
        for (String host : new String[] {"localhost:8088", "LOCALHOST", "localhost.:1", "127.0.0.1:9",
            "127.0.0.1", "[::1]:8088", "[::1]"}) {
            assertThat(FakeHttp.send(servlet, "GET", "/api/stats", host).status).as(host).isEqualTo(200);
        }
        FakeHttp.Exchange bound = new FakeHttp.Exchange("GET", "/api/stats").header("Host", "192.168.7.7:8088");
        bound.localAddr = "192.168.7.7";
        assertThat(FakeHttp.send(servlet, bound).status).isEqualTo(200);
        FakeHttp.Exchange other = new FakeHttp.Exchange("GET", "/api/stats").header("Host", "192.168.7.8:8088");
        other.localAddr = "192.168.7.7";
        assertThat(FakeHttp.send(servlet, other).status).isEqualTo(421);
        FakeHttp.Exchange none = new FakeHttp.Exchange("GET", "/api/stats").header("Host", "");
        assertThat(FakeHttp.send(servlet, none).status).isEqualTo(421);
        for (String host : new String[] {"localhost.evil.example", "127.0.0.1.evil.example", "evil.example",
            "localhost:8088@evil.example", "0x7f.1"}) {
            assertThat(FakeHttp.send(servlet, "GET", "/api/stats", host).status).as(host).isEqualTo(421);
        }
    }

    @Test
    void theRefusalShowsTheHostEscaped() throws Exception {
        FakeHttp.Exchange x = FakeHttp.send(servlet, "GET", "/api/jobs", "evil<script>\u202e\n.example");
        assertThat(x.status).isEqualTo(421);
        assertThat(x.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(x.body()).doesNotContain("<script>", "\u202e").contains("\\u202E", "\\u003C");
        assertThat(x.body().chars().filter(c -> c == '\n')).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void headAndOtherMethodsOnTheEventsPathOpenNoStream() throws Exception {
        for (int i = 0; i < 5_000; i++) {
            FakeHttp.Exchange x = FakeHttp.send(servlet, "HEAD", "/api/events", "127.0.0.1:8088");
            assertThat(x.status).isEqualTo(405);
            assertThat(x.header("Allow")).isEqualTo("GET");
            assertThat(x.asyncStarted).isFalse();
        }
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS"}) {
            FakeHttp.Exchange x = FakeHttp.send(servlet, method, "/api/events", "127.0.0.1:8088");
            assertThat(x.status).as(method).isEqualTo(405);
            assertThat(x.header("Allow")).as(method).isEqualTo("GET");
            assertThat(x.asyncStarted).as(method).isFalse();
        }
        assertThat(hub.clientCount()).isZero();
    }

    @Test
    void abandonedStreamsAreDroppedWithinTheirHeartbeat() throws Exception {
        int max = settings.maxClients();
        for (int i = 0; i < 2_048; i++) {
            FakeHttp.Exchange x = FakeHttp.send(servlet, "GET", "/api/events", "127.0.0.1:8088");
            assertThat(x.asyncStarted).isTrue();
            if (i % 2 == 0) {
                x.gone = true; // the socket is closed: the next write fails
            } else {
                x.outputReady = false; // nothing ever drains: the write is stuck
            }
            if (i % max == max - 1) {
                assertThat(hub.clientCount()).isEqualTo(max); // sse.maxClients: one more is refused
                assertThat(FakeHttp.send(servlet, "GET", "/api/events", "127.0.0.1:8088").status).isEqualTo(503);
                long now = System.nanoTime(); // the servlet stamps streams with System.nanoTime()
                hub.tick(now);
                hub.tick(now + settings.heartbeatMs() * MS);
                assertThat(hub.clientCount()).isZero();
            }
        }
    }

    @Test
    void oneStreamMoreThanMaxClientsGets503WithRetryAfter() throws Exception {
        for (int i = 0; i < settings.maxClients(); i++) {
            assertThat(FakeHttp.send(servlet, "GET", "/api/events", "127.0.0.1:8088").asyncStarted).isTrue();
        }
        FakeHttp.Exchange refused = FakeHttp.send(servlet, "GET", "/api/events", "127.0.0.1:8088");
        assertThat(refused.status).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        assertThat(refused.asyncStarted).isFalse();
        assertThat(hub.clientCount()).isEqualTo(settings.maxClients());
    }

    @Test
    void configuredHostsAreAllowedWithTheirPort() throws Exception {
        WebSettings configured = new WebSettings("/batch", false, 10, 256, 1024, 1_000, 200,
                List.of("queue.example.org", "other.example:9000"), 4);
        DashboardServlet withHosts = new DashboardServlet(configured,
                new QueueApi(queue, new JobViews(queue, activity)), new SseHub(configured, () -> "{}", 0));
        assertThat(FakeHttp.send(withHosts, "GET", "/api/stats", "Queue.Example.org:8088").status).isEqualTo(200);
        assertThat(FakeHttp.send(withHosts, "GET", "/api/stats", "other.example:9000").status).isEqualTo(200);
        assertThat(FakeHttp.send(withHosts, "GET", "/api/stats", "other.example:9001").status).isEqualTo(421);
        assertThat(FakeHttp.send(withHosts, "GET", "/api/stats", "evil.queue.example.org").status).isEqualTo(421);
        assertThat(FakeHttp.send(withHosts, "GET", "/api/stats", "localhost:1").status).isEqualTo(200);
    }

    @Test
    void theWebConsoleViewIsOnlyGivenToAnAllowedHost() throws Exception {
        WebConsolePlugin console = new WebConsolePlugin(settings);
        FakeHttp.Exchange refused = FakeHttp.send(console, "GET", null, "evil.example:8088");
        assertThat(refused.status).isEqualTo(421);
        assertThat(refused.body()).doesNotContain("bq-root").contains("evil.example:8088");
        assertThat(FakeHttp.send(console, "GET", null, "localhost:8088").body()).contains("id=\"bq-root\"");
        assertThat(FakeHttp.send(console, "TRACE", null, "localhost:8088").status).isEqualTo(405);
    }

    @Test
    void traceIsOff() throws Exception {
        FakeHttp.Exchange x = FakeHttp.send(servlet, new FakeHttp.Exchange("TRACE", "/")
                .header("Host", "localhost:8088").header("Cookie", "private=1"));
        assertThat(x.status).isEqualTo(405);
        assertThat(x.body()).doesNotContain("private=1");
    }

    @Test
    void theTokenNeedsNoServerSessionAndIsBoundToTheBrowsersCookie() throws Exception {
        FakeHttp.Exchange session = FakeHttp.send(servlet, "GET", "/api/session", "localhost:8088");
        assertThat(session.status).isEqualTo(200);
        assertThat(session.sessionsCreated).hasValue(0);
        Matcher token = TOKEN.matcher(session.body());
        assertThat(token.find()).isTrue();
        String setCookie = session.header("Set-Cookie");
        assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=/batch");
        String[] cookie = setCookie.substring(0, setCookie.indexOf(';')).split("=", 2);

        FakeHttp.Exchange again = FakeHttp.send(servlet, new FakeHttp.Exchange("GET", "/api/session")
                .header("Host", "localhost:8088").cookie(cookie[0], cookie[1]));
        assertThat(again.body()).contains(token.group(1));
        assertThat(again.headers("Set-Cookie")).isEmpty();

        FakeHttp.Exchange withoutCookie = FakeHttp.send(servlet, new FakeHttp.Exchange("POST", "/api/pause")
                .header("Host", "localhost:8088").header("X-CSRF-Token", token.group(1)));
        assertThat(withoutCookie.status).isEqualTo(403);
        FakeHttp.Exchange otherCookie = FakeHttp.send(servlet, new FakeHttp.Exchange("POST", "/api/pause")
                .header("Host", "localhost:8088").header("X-CSRF-Token", token.group(1))
                .cookie(cookie[0], "someone-else"));
        assertThat(otherCookie.status).isEqualTo(403);
        assertThat(queue.isPaused()).isFalse();
        FakeHttp.Exchange pause = FakeHttp.send(servlet, new FakeHttp.Exchange("POST", "/api/pause")
                .header("Host", "localhost:8088").header("Origin", "http://localhost:8088")
                .header("X-CSRF-Token", token.group(1)).cookie(cookie[0], cookie[1]));
        assertThat(pause.status).isEqualTo(200);
        assertThat(queue.isPaused()).isTrue();
    }

    @Test
    void aBulkActionTakesAJsonListOfIdsUnderTheSameTokenRules() throws Exception {
        String first = secretJob();
        String second = secretJob();
        String body = "{\"action\":\"cancel\",\"ids\":[\"" + first + "\",\"" + second + "\"]}";
        FakeHttp.Exchange noToken = FakeHttp.send(servlet, new FakeHttp.Exchange("POST", "/api/bulk")
                .header("Host", "localhost:8088").body(body));
        assertThat(noToken.status).isEqualTo(403);
        assertThat(queue.getJob(first).orElseThrow().status().wireName()).isEqualTo("queued");

        FakeHttp.Exchange session = FakeHttp.send(servlet, "GET", "/api/session", "localhost:8088");
        Matcher token = TOKEN.matcher(session.body());
        assertThat(token.find()).isTrue();
        String setCookie = session.header("Set-Cookie");
        String[] cookie = setCookie.substring(0, setCookie.indexOf(';')).split("=", 2);
        FakeHttp.Exchange bulk = FakeHttp.send(servlet, new FakeHttp.Exchange("POST", "/api/bulk")
                .header("Host", "localhost:8088").header("Origin", "http://localhost:8088")
                .header("X-CSRF-Token", token.group(1)).cookie(cookie[0], cookie[1]).body(body));
        assertThat(bulk.status).isEqualTo(200);
        assertThat(bulk.body()).contains("\"done\":[\"" + first + "\",\"" + second + "\"]", "\"failed\":[]");
        assertThat(queue.getJob(second).orElseThrow().status().wireName()).isEqualTo("cancelled");
    }

    @Test
    void manySessionCallsKeepNothingOnTheServer() throws Exception {
        for (int i = 0; i < 20_000; i++) {
            FakeHttp.Exchange x = FakeHttp.send(servlet, "GET", "/api/session", "localhost:8088");
            assertThat(x.status).isEqualTo(200);
            assertThat(x.sessionsCreated).hasValue(0);
        }
    }

    @Test
    void thePolicyNeedsNoInlineScriptOrStyle() throws Exception {
        FakeHttp.Exchange page = FakeHttp.send(servlet, "GET", null, "localhost:8088");
        assertThat(page.status).isEqualTo(200);
        String policy = page.header("Content-Security-Policy");
        assertThat(policy).doesNotContain("unsafe-inline").contains("script-src 'self'", "style-src 'self'");
        assertThat(page.body()).doesNotContain("<script>", "<style>", " style=\"");
        Matcher resources = Pattern.compile("(?:src|href)=\"/batch(/static/[^\"]+)\"").matcher(page.body());
        int found = 0;
        while (resources.find()) {
            found++;
            FakeHttp.Exchange resource = FakeHttp.send(servlet, "GET", resources.group(1), "localhost:8088");
            assertThat(resource.status).as(resources.group(1)).isEqualTo(200);
            assertThat(resource.header("Content-Type")).as(resources.group(1))
                    .matches("(text/javascript|text/css);charset=UTF-8");
            assertThat(resource.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        assertThat(found).isEqualTo(3); // the style and the two scripts
        assertThat(FakeHttp.send(servlet, "GET", "/static/nothing.js", "localhost:8088").status).isEqualTo(404);
    }
}

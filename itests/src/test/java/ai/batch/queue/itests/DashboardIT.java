package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

import ai.batch.queue.BatchEvents;

/**
 * The dashboard bundle in Felix with the queue and Jetty (Felix HTTP) on a free port, over HTTP: the page, every
 * action with its success and error codes, read-only and CSRF refusals, the event stream with resume, and the
 * same view inside the Felix Web Console (the javax.servlet line, 4.9, as Karaf 4.4 ships it).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DashboardIT extends QueueTestSupport {

    private static final String PID = "ai.batch.queue.web";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Pattern TOKEN = Pattern.compile("\"csrfToken\":\"([^\"]+)\"");

    @Inject
    private ConfigurationAdmin configAdmin;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    private String base;
    private String origin;
    private String token;

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
    public void enableActions() throws Exception {
        origin = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port");
        base = origin + "/batch";
        configure(true);
        token = session();
    }

    @After
    public void readOnlyAgain() throws Exception {
        if (configAdmin.listConfigurations("(service.pid=" + PID + ")") != null) {
            configAdmin.getConfiguration(PID, "?").delete();
        }
        queue.resume();
    }

    /** Applies the dashboard configuration and waits until the page answers with it. */
    private void configure(boolean actionsEnabled) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("actions.enabled", actionsEnabled);
        properties.put("sse.heartbeatMs", 1_000L);
        configAdmin.getConfiguration(PID, "?").update(properties);
        String marker = "data-actions-enabled=\"" + actionsEnabled + "\"";
        await(() -> {
            try {
                HttpResponse<String> page = get("");
                return page.statusCode() == 200 && page.body().contains(marker);
            } catch (IOException e) {
                return false;
            }
        }, "the dashboard serving with actions.enabled=" + actionsEnabled);
    }

    private String session() throws IOException {
        HttpResponse<String> session = get("/api/session");
        assertEquals(session.body(), 200, session.statusCode());
        Matcher matcher = TOKEN.matcher(session.body());
        assertTrue(session.body(), matcher.find());
        return matcher.group(1);
    }

    private HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private HttpResponse<String> post(String path, String body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/" + path)).timeout(Duration.ofSeconds(10))
                .header("Origin", origin).header("X-CSRF-Token", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> post(String path) throws IOException {
        return post(path, "");
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
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

    private static void assertStatus(int expected, HttpResponse<String> response) {
        assertEquals(response.body(), expected, response.statusCode());
        assertTrue(response.body(), response.body().startsWith("{"));
    }

    /** A job of a model no handler serves: it stays QUEUED. */
    private String queuedJob(String model) {
        return queue.enqueue(job(model, "tag", "done", "done"));
    }

    @Test
    public void pageIsServedSelfContainedWithStableHooks() throws Exception {
        HttpResponse<String> page = get("");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("id=\"bq-job-rows\""));
        assertTrue(page.body().contains("data-base=\"/batch\""));
        assertFalse("no external resources", page.body().contains("src=\"http"));
        assertEquals(200, get("/").statusCode());
        assertStatus(404, get("/nothing-here"));
    }

    @Test
    public void readsListJobsPlanAndStats() throws Exception {
        String id = queuedJob("web-reads");
        HttpResponse<String> jobs = get("/api/jobs");
        assertStatus(200, jobs);
        assertTrue(jobs.body().contains("\"id\":\"" + id + "\""));
        HttpResponse<String> job = get("/api/jobs/" + id);
        assertStatus(200, job);
        assertTrue(job.body().contains("\"items\":[{\"id\":\"tag-1\""));
        assertTrue(get("/api/plan").body().contains("\"id\":\"" + id + "\""));
        assertTrue(get("/api/stats").body().contains("\"queuedCount\""));
        HttpResponse<String> unknown = get("/api/jobs/no-such-job");
        assertStatus(404, unknown);
        assertTrue(unknown.body().contains("no-such-job"));
        queue.cancelJob(id);
    }

    @Test
    public void jobActionsSucceedAndMapTheQueuesErrors() throws Exception {
        String first = queuedJob("web-actions-a");
        String second = queuedJob("web-actions-b");

        assertStatus(200, post("jobs/" + second + "/front"));
        assertTrue(get("/api/plan").body().indexOf(second) < get("/api/plan").body().indexOf(first));
        HttpResponse<String> priority = post("jobs/" + first + "/priority", "{\"priority\":\"high\"}");
        assertStatus(200, priority);
        assertTrue(priority.body().contains("\"priority\":\"high\""));
        assertStatus(400, post("jobs/" + first + "/priority", "{\"priority\":\"urgent\"}"));
        assertStatus(400, post("jobs/" + first + "/priority"));
        assertStatus(400, post("jobs/" + first + "/priority", "not json"));
        assertStatus(409, post("jobs/" + first + "/retry"));

        assertStatus(200, post("jobs/" + first + "/items/tag-1/cancel"));
        assertEquals("cancelled", snapshot(first).items().get(0).status().wireName());
        assertStatus(404, post("jobs/" + first + "/items/tag-9/cancel"));

        HttpResponse<String> cancelled = post("jobs/" + first + "/cancel");
        assertStatus(200, cancelled);
        assertTrue(cancelled.body().contains("\"status\":\"cancelled\""));
        assertStatus(409, post("jobs/" + first + "/front"));
        assertStatus(409, post("jobs/" + first + "/priority", "{\"priority\":\"low\"}"));
        assertStatus(404, post("jobs/no-such-job/cancel"));
        assertStatus(404, post("jobs/no-such-job/retry"));
        assertStatus(404, post("jobs/" + first + "/explode"));
        assertStatus(405, get("/api/pause"));
        queue.cancelJob(second);
    }

    @Test
    public void retryFailedAndPurgeFinishedWorkOnFinishedJobs() throws Exception {
        handlers.register("web-retry", "web-retry");
        String failing = queue.enqueue(job("web-retry", "tag", "done", "fail"));
        awaitCompleted(failing, "completedWithErrors");

        int mark = events.mark();
        HttpResponse<String> retried = post("retry-failed");
        assertStatus(200, retried);
        assertTrue(retried.body(), retried.body().contains(failing));
        awaitCompletedFrom(mark, failing);
        mark = events.mark();
        assertStatus(200, post("jobs/" + failing + "/retry"));
        awaitCompletedFrom(mark, failing);
        assertStatus(409, post("jobs/" + queuedJob("web-retry-none") + "/retry"));

        HttpResponse<String> purged = post("purge-finished");
        assertStatus(200, purged);
        assertTrue(purged.body(), purged.body().matches("\\{\"purged\":[1-9][0-9]*\\}"));
        assertTrue(queue.getJob(failing).isEmpty());
    }

    private void awaitCompletedFrom(int mark, String jobId) {
        events.awaitFrom(mark, e -> e.getTopic().equals(BatchEvents.TOPIC_JOB_COMPLETED)
                && jobId.equals(e.getProperty(BatchEvents.JOB_ID)), "job_completed of " + jobId + " again");
    }

    @Test
    public void pauseAndResume() throws Exception {
        assertStatus(200, post("pause"));
        assertTrue(queue.isPaused());
        assertTrue(get("/api/plan").body().contains("\"paused\":true"));
        assertStatus(200, post("resume"));
        assertFalse(queue.isPaused());
    }

    @Test
    public void actionsWithoutTheTokenOrFromAnotherOriginAreRefused() throws Exception {
        String id = queuedJob("web-csrf");
        HttpResponse<String> noToken = send(HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + id + "/cancel"))
                .header("Origin", origin).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertStatus(403, noToken);
        assertTrue(noToken.body().contains("CSRF"));
        HttpResponse<String> otherSession = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + id + "/cancel")).header("Origin", origin)
                        .header("X-CSRF-Token", token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertStatus(403, otherSession);
        HttpResponse<String> crossOrigin = send(HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + id + "/cancel"))
                .header("Origin", "http://evil.example").header("X-CSRF-Token", token)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertStatus(403, crossOrigin);
        assertTrue(crossOrigin.body().contains("evil.example"));
        assertEquals("queued", snapshot(id).status().wireName());
        queue.cancelJob(id);
    }

    @Test
    public void readOnlyRefusesEveryActionButStillShowsTheQueue() throws Exception {
        configure(false);
        String id = queuedJob("web-readonly");
        HttpResponse<String> refused = post("jobs/" + id + "/cancel");
        assertStatus(403, refused);
        assertTrue(refused.body().contains("read-only"));
        assertStatus(403, post("pause"));
        assertFalse(queue.isPaused());
        assertStatus(200, get("/api/jobs/" + id));
        assertTrue(get("").body().contains("data-actions-enabled=\"false\""));
        queue.cancelJob(id);
    }

    @Test
    public void webConsoleShowsTheSameViewUnderBatch() throws Exception {
        assertNotNull(context.getServiceReferences(javax.servlet.Servlet.class.getName(),
                "(felix.webconsole.label=batch)"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(origin + "/system/console/batch"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:admin".getBytes(StandardCharsets.UTF_8))).GET().build();
        AtomicReference<HttpResponse<String>> console = new AtomicReference<>();
        await(() -> {
            try {
                console.set(send(request));
                return console.get().statusCode() == 200 && console.get().body().contains("id=\"bq-root\"");
            } catch (IOException e) {
                return false;
            }
        }, "the Web Console page with the dashboard view");
        String body = console.get().body();
        assertTrue(body, body.contains("data-base=\"/batch\""));
        assertTrue("inside the console's own page", body.indexOf("<html") < body.indexOf("id=\"bq-root\""));
        assertTrue(body, body.contains("Batch queue"));
    }

    @Test
    public void eventStreamDeliversEnqueuesAndResumesFromLastEventId() throws Exception {
        String snapshotId;
        String queuedId;
        String job;
        try (EventStream stream = open(null)) {
            String[] snapshot = stream.next();
            assertEquals("snapshot", snapshot[1]);
            snapshotId = snapshot[0];
            job = queuedJob("web-sse");
            String[] frame = stream.nextContaining(job);
            assertEquals("events", frame[1]);
            assertTrue(frame[2], frame[2].contains("\"topic\":\"ai_batch/job_queued\""));
            queuedId = frame[0];
        }
        try (EventStream resumed = open(snapshotId)) {
            String[] frame = resumed.next();
            assertEquals("resumed with events, not a snapshot", "events", frame[1]);
            assertTrue(frame[2], frame[2].contains(job));
            assertTrue(Long.parseLong(frame[0]) >= Long.parseLong(queuedId));
        }
        try (EventStream tooOld = open("1")) {
            assertEquals("snapshot", tooOld.next()[1]);
        }
        queue.cancelJob(job);
    }

    private EventStream open(String lastEventId) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/events"))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<InputStream> response = http.send(request.GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            return new EventStream(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}

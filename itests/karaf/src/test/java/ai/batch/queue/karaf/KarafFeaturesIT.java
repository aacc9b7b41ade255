package ai.batch.queue.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feature repository in a real Apache Karaf, installed the way the README tells users to: {@code feature:repo-add}
 * with its {@code mvn:} URL, {@code feature:install}, then a job through the {@code batch:*} commands. One Karaf
 * process serves the whole class (see {@link LiveKaraf}).
 *
 * <p>Each test installs the features it needs with {@link LiveKaraf#installFeatures}; features already installed are
 * left alone, so tests do not depend on their order.
 *
 * <p>The dashboard's test installs {@code ai-batch-queue-webconsole} (the dashboard and Karaf's Web Console) and
 * fetches the page, its REST surface and its Web Console page over HTTP, on the free port {@link LiveKaraf} gave
 * Pax Web.
 */
class KarafFeaturesIT {

    @RegisterExtension
    static final LiveKaraf karaf = new LiveKaraf();

    private static final String FEATURE_REPOSITORY = "mvn:ai.batch.queue/ai-batch-queue-karaf-features/"
            + System.getProperty("project.version") + "/xml/features";
    private static final String[] QUEUE_AND_DEMO_MODELS = {"ai-batch-queue", "ai-batch-queue-demo-models"};
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    @BeforeAll
    static void addFeatureRepository() {
        karaf.run("feature:repo-add " + FEATURE_REPOSITORY);
        String repositories = karaf.run("feature:repo-list");
        assertTrue(repositories.contains("ai-batch-queue-" + System.getProperty("project.version")), repositories);
    }

    @Test
    void queueFeatureInstallsAndItsBundlesAndComponentAreActive() {
        karaf.installFeatures(QUEUE_AND_DEMO_MODELS);

        String features = karaf.run("feature:list -i --no-format");
        for (String feature : QUEUE_AND_DEMO_MODELS) {
            // name, version, required, state, repository, description
            assertEquals("Started", row(features, 0, feature).get(3), "feature " + feature + ":\n" + features);
        }
        String bundles = karaf.run("bundle:list -s -t 0 --no-format");
        for (String bundle : List.of("ai.batch.queue.api", "ai.batch.queue.impl", "ai.batch.queue.example.demo")) {
            // id, state, start level, version, symbolic name
            assertEquals("Active", row(bundles, 4, bundle).get(1), "bundle " + bundle + ":\n" + bundles);
        }
        // Karaf has no scr:list of its own, and Felix SCR's prints past the SSH console; the services the
        // components registered show that they are active (the queue is an immediate component).
        String services = karaf.run("bundle:services -p ai.batch.queue.impl");
        assertTrue(services.contains("component.name = ai.batch.queue.impl.osgi.BatchQueueComponent"), services);
        assertTrue(services.contains("objectClass = [ai.batch.queue.BatchQueue]"), services);
        assertTrue(services.contains("component.name = ai.batch.queue.impl.shell.BatchCommands"), services);
        assertTrue(karaf.run("log:display").contains("Batch queue started: executor on"), "the queue's start logged");
    }

    @Test
    void jobEnqueuedFromTheConsoleRunsOnTheDemoModelToTheEnd() {
        karaf.installFeatures(QUEUE_AND_DEMO_MODELS);

        String enqueued = karaf.result("batch:enqueue moondream caption beach.jpg dog.jpg snow.jpg");
        Matcher matcher = Pattern.compile("Enqueued job (\\S+) \\(3 items\\)").matcher(enqueued);
        assertTrue(matcher.find(), enqueued);
        String id = matcher.group(1);

        String job = karaf.awaitResult("job " + id + " finished", "batch:job " + id,
                out -> out.contains(", completed, ") || out.contains(", completedWithErrors, "), JOB_TIMEOUT);
        assertTrue(job.startsWith("Job " + id + ": moondream caption, "), job);
        for (String item : List.of("beach.jpg", "dog.jpg", "snow.jpg")) {
            String row = line(job, item);
            // The simulated model fails an item now and then: either outcome is a finished item with its result.
            assertTrue(row.contains("completed") && row.contains("A photo of a")
                    || row.contains("failed") && row.contains("error: moondream ran out of GPU memory"), job);
        }

        String jobs = karaf.result("batch:jobs");
        assertTrue(line(jobs, id.substring(0, 8)).contains("moondream"), jobs);
        assertEquals("Job " + id + ": 0 item(s) left", karaf.result("batch:eta " + id).strip().split(",")[0],
                "batch:eta of a finished job");
    }

    @Test
    void dashboardFeatureServesThePageItsRestSurfaceAndItsWebConsolePage() throws Exception {
        karaf.installFeatures(QUEUE_AND_DEMO_MODELS);
        karaf.installFeatures("ai-batch-queue-webconsole"); // the dashboard and Karaf's Web Console
        String enqueued = karaf.result("batch:enqueue bakllava describe one.jpg two.jpg");
        Matcher matcher = Pattern.compile("Enqueued job (\\S+) \\(2 items\\)").matcher(enqueued);
        assertTrue(matcher.find(), enqueued);
        String id = matcher.group(1);

        String base = "http://127.0.0.1:" + karaf.httpPort();
        HttpResponse<String> page = awaitOk(base + "/batch", null);
        assertTrue(page.body().contains("id=\"bq-root\""), page.body());
        HttpResponse<String> jobs = awaitOk(base + "/batch/api/jobs", null);
        assertTrue(jobs.body().contains(id), "the job enqueued from the console is listed: " + jobs.body());
        HttpResponse<String> console = awaitOk(base + "/system/console/batch", "karaf:karaf");
        assertTrue(console.body().contains("bq-root"), "the dashboard inside the Web Console:\n" + console.body());
    }

    /** GETs a URL until it answers 200 (the servlets register a moment after the feature is installed). */
    private static HttpResponse<String> awaitOk(String url, String basicAuth) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (basicAuth != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(basicAuth.getBytes(StandardCharsets.UTF_8)));
        }
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        try {
            Awaitility.await("200 from " + url).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        last.set(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
                        return last.get().statusCode() == 200;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("No 200 from " + url + "; last answer: " + (last.get() == null ? "none"
                    : last.get().statusCode() + " " + last.get().body()) + "\n" + karaf.logTail(), e);
        }
        return last.get();
    }

    /** The columns of the row of a {@code --no-format} table whose column {@code column} is {@code value}. */
    private static List<String> row(String table, int column, String value) {
        return table.lines().map(line -> Arrays.stream(line.split("\t")).map(String::strip).toList())
                .filter(cells -> cells.size() > column && cells.get(column).equals(value)).findFirst()
                .orElseThrow(() -> new AssertionError("No row with '" + value + "' in:\n" + table));
    }

    /** The first line of a command's output that contains {@code text}, or fails. */
    private static String line(String output, String text) {
        return output.lines().filter(line -> line.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("No line with '" + text + "' in:\n" + output));
    }
}

package ai.batch.queue.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The dashboard against hostile input, in the system's headless Chromium and the demo in a forked JVM: a page of
 * another site whose name resolves to 127.0.0.1 (DNS rebinding, simulated with Chromium's host resolver rules),
 * and queue text with bidirectional characters typed into the demo's Gogo shell in a JVM whose platform charset
 * is ASCII. Like {@link DashboardBrowserIT}, skipped without Chromium except under CI, where that fails.
 */
class DashboardSecurityBrowserIT extends BrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a script of the rebound page tries: read everything, take a token, pause the queue. */
    private static final String ATTACK = String.join("\n",
            "var done = arguments[arguments.length - 1], out = {};",
            "function grab(name, url, init) {",
            "  return fetch(url, init).then(function (r) { return r.text().then(function (t) {",
            "    out[name] = r.status + ' ' + t; }); }, function (e) { out[name] = 'error ' + e; });",
            "}",
            "Promise.all([grab('page', '/batch'), grab('jobs', '/batch/api/jobs'), grab('plan', '/batch/api/plan'),",
            "  grab('stats', '/batch/api/stats'), grab('session', '/batch/api/session'),",
            "  grab('events', '/batch/api/events'), grab('script', '/batch/static/dashboard.js')])",
            ".then(function () {",
            "  var token = (out.session.match(/\"csrfToken\":\"([^\"]+)\"/) || [])[1] || 'none';",
            "  return grab('pause', '/batch/api/pause', { method: 'POST', headers: { 'X-CSRF-Token': token } });",
            "}).then(function () { done(out); });");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void aPageServedFromAReboundNameReadsNothingAndChangesNothing() throws Exception {
        DemoProcess demo = demo(List.of(), Map.of(), "--web-actions", "--speed", "0.5", "--keep-running");
        int port = URI.create(demo.url).getPort();
        ChromeDriver driver = browser("1280,1100", "--host-resolver-rules=MAP evil.example 127.0.0.1");
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));

        // the same browser at the dashboard's own address: the page runs under its policy and shows the queue
        driver.get(demo.url);
        wait.until(d -> d.findElements(By.cssSelector("#bq-job-rows tr.bq-job[data-job-id]")).size() == 6);
        wait.until(d -> "open".equals(d.findElement(By.id("bq-connection")).getAttribute("data-state")));
        List<String> jobIds = new ArrayList<>();
        get(demo.url + "/api/jobs").get("jobs").forEach(job -> jobIds.add(job.get("id").asText()));

        // the dashboard loaded through the rebound name: refused, so no view and no script of it runs there
        driver.get("http://evil.example:" + port + "/batch");
        String shown = driver.findElement(By.tagName("body")).getText();
        assertTrue(shown.contains("Misdirected") && shown.contains("evil.example:" + port), shown);
        assertEquals(0, driver.findElements(By.id("bq-root")).size());

        // a script of that origin (same origin as the rebound address) tries every way in
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        @SuppressWarnings("unchecked")
        Map<String, Object> answers = (Map<String, Object>) driver.executeAsyncScript(ATTACK);
        assertEquals(8, answers.size(), answers.toString());
        answers.forEach((name, answer) -> {
            String text = String.valueOf(answer);
            assertTrue(text.startsWith("421 "), name + ": " + text);
            assertFalse(text.contains("csrfToken"), name + ": " + text);
            jobIds.forEach(id -> assertFalse(text.contains(id), name + " leaks job " + id + ": " + text));
        });
        assertFalse(get(demo.url + "/api/jobs").get("paused").asBoolean(), "the queue was not paused");
    }

    @Test
    void utf8AndHiddenCharactersTypedIntoTheShellOfAnAsciiJvmAreKeptAndShownVisibly() throws Exception {
        DemoProcess demo = demo(List.of("-Dfile.encoding=ANSI_X3.4-1968"), Map.of("LANG", "C", "LC_ALL", "C"),
                "--shell", "--web-actions", "--speed", "8");
        demo.awaitLine("Gogo shell: try");

        // non-ASCII typed in arrives as typed, and the shell answers in UTF-8
        demo.send("batch:enqueue grüße-modell tag Grüße");
        String id = demo.awaitLine("Enqueued job ").replaceAll(".*Enqueued job (\\S+) .*", "$1");
        JsonNode job = get(demo.url + "/api/jobs/" + id);
        assertEquals("grüße-modell", job.get("resourceKey").asText());
        assertEquals("Grüße", job.get("items").get(0).get("id").asText());
        demo.send("batch:job " + id);
        demo.awaitLine("Job " + id + ": grüße-modell tag");

        // U+202E (right-to-left override) is kept as data and shown as a code point in the shell and the page
        demo.send("batch:enqueue gpj.exe\u202E-evil tag x\u202Egpj.exe");
        String evilId = demo.awaitLine("Enqueued job ", 2).replaceAll(".*Enqueued job (\\S+) .*", "$1");
        assertEquals("gpj.exe\u202E-evil", get(demo.url + "/api/jobs/" + evilId).get("resourceKey").asText());
        demo.send("batch:job " + evilId);
        String shell = demo.awaitLine("Job " + evilId + ": ");
        assertTrue(shell.contains("gpj.exe\\u202E-evil") && !shell.contains("\u202E"), shell);

        ChromeDriver driver = browser("1280,1100");
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        driver.get(demo.url);
        By model = By.cssSelector("tr.bq-job[data-job-id='" + evilId + "'] .bq-model");
        wait.until(d -> !d.findElements(model).isEmpty());
        assertEquals("gpj.exe\u27E8U+202E\u27E9-evil", driver.findElement(model).getText());
        assertEquals("a\u27E8U+202E\u27E9b\u27E8U+0007\u27E9",
                driver.executeScript("return window.bqVisible(arguments[0]);", "a\u202Eb\u0007"));

        storageIsOwnerOnly(demo);
    }

    /** The framework storage (journal, configuration) of the demo: no one but its owner may read it. */
    private static void storageIsOwnerOnly(DemoProcess demo) throws IOException {
        Path storage;
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(demo.pid()), "fd"))) {
            storage = fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return "";
                }
            }).filter(target -> target.matches(".*/osgi\\.[0-9]+\\.fw/.*"))
                    .map(target -> Path.of(target.replaceAll("(.*/osgi\\.[0-9]+\\.fw)/.*", "$1"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no open file of the demo in its framework storage"));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storage)), storage
                .toString());
        try (Stream<Path> paths = Files.walk(storage)) {
            List<String> open = paths.filter(path -> !Files.isSymbolicLink(path)).filter(path -> {
                try {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                    return !mode.endsWith("------");
                } catch (IOException e) {
                    return false; // gone meanwhile
                }
            }).map(Path::toString).collect(Collectors.toList());
            assertEquals(List.of(), open, "readable by others in " + storage);
        }
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return JSON.readTree(response.body());
    }

}

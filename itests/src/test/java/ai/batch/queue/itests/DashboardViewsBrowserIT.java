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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The dashboard's views in a real browser against the demo: a tab per job state with counts and a fixed order,
 * a page per job with its own URL, filters, bulk actions, paused shown on the running row, short ids, rows that
 * keep their shape, and the charts. Saves a screenshot of each main view under {@code target/screenshots/}.
 *
 * <p>Skipped when Chromium or chromedriver is missing, except under CI ({@code CI=true}), where that fails.
 */
class DashboardViewsBrowserIT extends BrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FULL_UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void viewsPerStateJobPagesFiltersBulkActionsAndPause() throws Exception {
        DemoProcess demo = new DemoProcess("--web-actions", "--speed", "0.3", "--failure-rate", "0.2",
                "--keep-running");
        resources.add(demo);
        demo.awaitUrl();
        ChromeDriver driver = browser("1400,1000");
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        try {
            driver.get(demo.url);
            wait.until(d -> rows(d).size() == 6 && "open".equals(
                    d.findElement(By.id("bq-connection")).getAttribute("data-state")));

            // tabs: the counts of the states add up to all jobs
            wait.until(d -> count(d, "all") == 6 && count(d, "queued") + count(d, "running") + count(d, "finished")
                    + count(d, "failed") + count(d, "cancelled") == 6);

            // a short id per row, and notes quote short ids only
            for (WebElement row : rows(driver)) {
                String id = row.getAttribute("data-job-id");
                assertEquals(id.substring(0, 8), row.findElement(By.cssSelector(".bq-id a")).getText());
            }
            String plan = driver.findElement(By.id("bq-plan")).getText();
            assertFalse(FULL_UUID.matcher(plan).find(), plan);

            // the all view keeps enqueue order while jobs run; rows keep one line
            wait.until(d -> rows(d).stream().anyMatch(r -> "running".equals(r.getAttribute("data-status"))));
            List<String> order = ids(driver);
            int done = doneOnPage(driver);
            wait.until(d -> doneOnPage(driver) > done + 1);
            assertEquals(order, ids(driver), "rows keep their order while jobs run");
            assertOneLineRows(driver);
            screenshot(driver, "all");

            // the queued tab: planned order, and every queued job says when it starts
            driver.findElement(By.cssSelector("#bq-tabs a[data-view=queued]")).click();
            wait.until(d -> d.getCurrentUrl().endsWith("#/queued"));
            wait.until(d -> {
                List<String> planned = d.findElements(By.cssSelector("#bq-plan li.bq-plan-entry")).stream()
                        .map(li -> li.getAttribute("data-job-id")).collect(Collectors.toList());
                List<String> shown = ids(d);
                return !shown.isEmpty() && shown.equals(planned);
            });
            for (WebElement start : driver.findElements(By.cssSelector("#bq-job-rows .bq-start"))) {
                assertFalse(start.getText().isBlank() || start.getText().equals("\u2013"), start.getText());
            }
            screenshot(driver, "queued");

            // filters: one model, then a search by short id
            String model = rows(driver).get(0).getAttribute("data-model");
            new Select(driver.findElement(By.id("bq-filter-model"))).selectByValue(model);
            assertTrue(rows(driver).stream().allMatch(r -> model.equals(r.getAttribute("data-model"))));
            new Select(driver.findElement(By.id("bq-filter-model"))).selectByValue("");

            // bulk: raise the priority of every queued job shown; the server agrees
            List<String> queued = ids(driver);
            driver.findElement(By.id("bq-select-all")).click();
            wait.until(d -> d.findElement(By.id("bq-selected-count")).getText().equals(queued.size() + " selected"));
            new Select(driver.findElement(By.id("bq-bulk-priority-value"))).selectByValue("high");
            driver.findElement(By.id("bq-bulk-priority")).click();
            wait.until(d -> queued.stream().allMatch(id -> "high".equals(job(demo.url, id).path("priority").asText())
                    || !"queued".equals(job(demo.url, id).path("status").asText())));
            assertEquals("", driver.findElement(By.id("bq-message")).getText());

            // pause: the running row says paused and its ETA stops
            driver.get(demo.url + "#/running");
            wait.until(d -> rows(d).size() == 1);
            click(wait, By.id("bq-pause"));
            wait.until(d -> d.findElements(By.cssSelector("tr.bq-job .bq-status[data-paused=true]")).size() == 1);
            wait.until(d -> "paused".equals(d.findElement(By.cssSelector("tr.bq-job .bq-eta")).getText()));
            screenshot(driver, "paused");
            String running = ids(driver).get(0);

            // a job's own page, by its URL
            driver.get(demo.url + "#/jobs/" + running);
            wait.until(d -> running.equals(d.findElement(By.id("bq-detail")).getAttribute("data-job-id"))
                    && d.findElement(By.id("bq-detail")).isDisplayed()
                    && !d.findElements(By.cssSelector("#bq-item-rows tr.bq-item")).isEmpty());
            assertFalse(driver.findElement(By.id("bq-list")).isDisplayed());
            WebElement item = driver.findElement(By.cssSelector("#bq-item-rows tr.bq-item"));
            assertFalse(item.findElement(By.cssSelector(".bq-item-model")).getText().isBlank());
            assertFalse(item.findElement(By.cssSelector(".bq-attempts")).getText().isBlank());
            screenshot(driver, "job");
            click(wait, By.id("bq-resume"));
            wait.until(d -> "false".equals(d.findElement(By.id("bq-queue-state")).getAttribute("data-paused")));
            driver.navigate().back();
            wait.until(d -> d.findElement(By.id("bq-list")).isDisplayed() && d.getCurrentUrl().endsWith("#/running"));

            // finished jobs: newest first, with charts that show a point or say why not
            driver.get(demo.url + "#/finished");
            wait.until(d -> !d.findElements(By.cssSelector("#bq-charts .bq-chart[data-model]")).isEmpty());
            for (WebElement chart : driver.findElements(By.cssSelector("#bq-charts .bq-chart[data-model]"))) {
                for (String kind : List.of("bq-throughput", "bq-eta-accuracy")) {
                    WebElement part = chart.findElement(By.cssSelector("." + kind));
                    boolean drawn = !part.findElements(By.cssSelector("circle")).isEmpty();
                    assertTrue(drawn || part.getText().length() > 10, kind + " shows a point or a sentence");
                }
            }
            wait.until(d -> !d.findElements(By.cssSelector("#bq-model-timeline svg.bq-residency rect")).isEmpty());
            JsonNode models = get(demo.url + "/api/plan").get("models");
            assertTrue(models.get("residentModels").size() <= 2, "resident: " + models.get("residentModels"));
            screenshot(driver, "finished");
        } catch (Throwable failure) {
            screenshot(driver, "views-failure");
            throw failure;
        }
    }

    private static List<WebElement> rows(WebDriver driver) {
        return driver.findElements(By.cssSelector("#bq-job-rows tr.bq-job[data-job-id]"));
    }

    private static List<String> ids(WebDriver driver) {
        Object ids = ((ChromeDriver) driver).executeScript("return Array.prototype.map.call(document"
                + ".querySelectorAll('#bq-job-rows tr.bq-job'), function (r) { return r.getAttribute('data-job-id'); });");
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) ids;
        return list;
    }

    private static int count(WebDriver driver, String view) {
        return Integer.parseInt(driver.findElement(By.cssSelector("[data-count=" + view + "]")).getText());
    }

    private static int doneOnPage(ChromeDriver driver) {
        Object sum = driver.executeScript("var s = 0; document.querySelectorAll('.bq-progress[data-done]')"
                + ".forEach(function (b) { s += Number(b.getAttribute('data-done')); }); return s;");
        return ((Number) sum).intValue();
    }

    /** No cell wraps: every job row is as tall as one line of text. */
    private static void assertOneLineRows(ChromeDriver driver) {
        Object heights = driver.executeScript("return Array.prototype.map.call(document"
                + ".querySelectorAll('#bq-job-rows tr.bq-job'), function (r) { return r.getBoundingClientRect().height; });");
        for (Object height : (List<?>) heights) {
            assertTrue(((Number) height).doubleValue() < 36, "a row wrapped: " + heights);
        }
    }

    private static void click(WebDriverWait wait, By by) {
        wait.until(d -> {
            try {
                d.findElement(by).click();
                return true;
            } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException redrawn) {
                return false;
            }
        });
    }

    private JsonNode job(String base, String id) {
        try {
            return get(base + "/api/jobs/" + id);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static void screenshot(ChromeDriver driver, String name) throws IOException {
        Path file = Path.of(System.getProperty("dashboard.screenshot")).resolveSibling("screenshots")
                .resolve(name + ".png");
        Files.createDirectories(file.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

}

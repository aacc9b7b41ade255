package ai.batch.queue.benchmarks.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import ai.batch.queue.benchmarks.felix.EmbeddedFelix;
import ai.batch.queue.benchmarks.support.Deadline;

/**
 * The dashboard page open in the system's headless Chromium, driven through the system's chromedriver (nothing is
 * downloaded). A script added before the page loads counts the frames the page's {@code EventSource} receives, so
 * the benchmark can tell that the browser stayed live.
 */
final class BrowserViewer implements Viewer {

    /** The browser, as Debian's {@code chromium} package installs it. */
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Its driver, from Debian's {@code chromium-driver} package. */
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Wraps {@code EventSource} so that every frame of the page's stream increments {@code window.bqFrames}. */
    private static final String COUNT_FRAMES = "window.bqFrames = 0; (function () { var Original = "
            + "window.EventSource; window.EventSource = function (url, options) { var source = new Original(url, "
            + "options); ['snapshot', 'events'].forEach(function (type) { source.addEventListener(type, "
            + "function () { window.bqFrames++; }); }); return source; }; "
            + "window.EventSource.prototype = Original.prototype; })();";

    private final ChromeDriver driver;
    private final Path profile;

    private BrowserViewer(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** @return whether the system has Chromium and its driver */
    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static BrowserViewer open(URI page) {
        if (!available()) {
            throw new IllegalStateException("No " + CHROMIUM + " or " + CHROMEDRIVER + ": install Debian's chromium "
                    + "and chromium-driver packages");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("bench-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1100", "--user-data-dir=" + profile);
        ChromeDriver driver = null;
        try {
            driver = new ChromeDriver(service, options);
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", COUNT_FRAMES));
            driver.get(page.toString());
            BrowserViewer viewer = new BrowserViewer(driver, profile);
            Deadline.until(() -> viewer.connected() && viewer.framesReceived() > 0, Deadline.STARTUP,
                    () -> "the page at " + page + " did not go live");
            return viewer;
        } catch (WebDriverException | IllegalStateException e) {
            if (driver != null) {
                driver.quit();
            }
            EmbeddedFelix.deleteTree(profile);
            throw e;
        }
    }

    private boolean connected() {
        return Boolean.TRUE.equals(driver.executeScript(
                "var c = document.getElementById('bq-connection'); return !!c && c.dataset.state === 'open';"));
    }

    @Override
    public long framesReceived() {
        Object frames = driver.executeScript("return window.bqFrames || 0;");
        return frames instanceof Number number ? number.longValue() : 0;
    }

    @Override
    public void requireLive(long framesBefore) {
        if (!connected()) {
            throw new IllegalStateException("The page's event stream is not open");
        }
        long frames = framesReceived();
        if (frames <= framesBefore) {
            throw new IllegalStateException("The page received no frame (" + frames + " in all)");
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            EmbeddedFelix.deleteTree(profile);
        }
    }
}

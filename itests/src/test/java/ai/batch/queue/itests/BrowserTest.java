package ai.batch.queue.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * What the dashboard's browser tests share: the system's headless Chromium and its chromedriver (Debian's
 * packages, nothing downloaded), the check that they are installed (a failure under CI, a skip elsewhere), and
 * the demo processes and browsers a test starts, closed after it in reverse order.
 */
abstract class BrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    /** Closed after each test, the last added first. */
    final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void browserIsInstalled() {
        boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        String missing = "The browser test needs the Debian packages chromium and chromium-driver ("
                + CHROMIUM + ", " + CHROMEDRIVER + "); install them with "
                + "'apt-get install chromium chromium-driver' (.ci/run does this)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertTrue(present, missing + ". Under CI this test may not be skipped.");
        }
        Assumptions.assumeTrue(present, missing + "; skipped.");
    }

    @AfterEach
    void closeAll() {
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("closing " + resource + ": " + e);
            }
        }
        resources.clear();
    }

    /** A headless Chromium with a fresh profile, quit (and its profile deleted) after the test. */
    ChromeDriver browser(String windowSize, String... extra) throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + windowSize, "--user-data-dir=" + profile);
        options.addArguments(extra);
        ChromeDriver driver = new ChromeDriver(service, options);
        resources.add(() -> deleteTree(profile));
        resources.add(driver::quit);
        return driver;
    }

    /** The demo with these arguments, closed after the test, once it has printed the dashboard's address. */
    DemoProcess demo(String... args) throws Exception {
        return demo(List.of(), java.util.Map.of(), args);
    }

    /** The demo with these options, closed after the test, once it has printed the dashboard's address. */
    DemoProcess demo(List<String> jvmOptions, java.util.Map<String, String> environment, String... args)
            throws Exception {
        DemoProcess demo = new DemoProcess(jvmOptions, environment, args);
        resources.add(demo);
        demo.awaitUrl();
        return demo;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        }
    }
}

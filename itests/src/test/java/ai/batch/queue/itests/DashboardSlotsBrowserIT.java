package ai.batch.queue.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's slots view in a real browser against the demo's slots example: one row per slot, each with the
 * items it ran, together every item of the example. Saves a screenshot under {@code target/screenshots/}.
 *
 * <p>Skipped when Chromium or chromedriver is missing, except under CI ({@code CI=true}), where that fails.
 */
class DashboardSlotsBrowserIT extends BrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int EXAMPLE_ITEMS = 120; // 15 jobs of 8 items

    @Test
    void eachSlotShowsTheItemsItRan() throws Exception {
        DemoProcess demo = demo("--example", "slots", "--speed", "4", "--keep-running");
        ChromeDriver driver = browser("1400,1000");
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class); // the rows are drawn again with every refresh
        driver.get(demo.url);
        wait.until(d -> slotRows(d).size() == 3 && itemsShown(d) == EXAMPLE_ITEMS);

        // read in one go, again ignoring a refresh in between
        List<String> seen = wait.until(d -> slotRows(d).stream().map(row -> row.getAttribute("data-slot") + " "
                + (items(row) > 0 ? "ran items" : "ran nothing")).toList());
        assertEquals(List.of("gpu-1 ran items", "gpu-2 ran items", "gpu-3 ran items"), seen);
        assertTrue(driver.findElement(By.id("bq-slots-empty")).getAttribute("class").contains("bq-hidden"));
        driver.executeScript("document.getElementById('bq-slots').scrollIntoView()");
        Path file = Path.of(System.getProperty("dashboard.screenshot")).resolveSibling("screenshots")
                .resolve("slots.png");
        Files.createDirectories(file.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<WebElement> slotRows(WebDriver driver) {
        return driver.findElements(By.cssSelector("#bq-slot-rows tr.bq-slot"));
    }

    private static int itemsShown(WebDriver driver) {
        return slotRows(driver).stream().mapToInt(DashboardSlotsBrowserIT::items).sum();
    }

    private static int items(WebElement row) {
        return Integer.parseInt(row.findElement(By.cssSelector(".bq-slot-items")).getAttribute("data-items"));
    }
}

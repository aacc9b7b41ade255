package ai.batch.queue.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The page is self-contained and the console gets the same view. */
class PageTest {

    private final WebSettings settings = new WebSettings("/ops/batch", true, 10, 256, 1024, 15_000, 200);

    @Test
    void pageCarriesItsPathAndModeAndLoadsNothingFromOutside() {
        String page = Page.full(settings);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("data-base=\"/ops/batch\"")
                .contains("data-actions-enabled=\"true\"").doesNotContain("{{").doesNotContain("src=\"http")
                .doesNotContain("href=\"http").doesNotContain("<link").doesNotContain("@import");
        assertThat(page).contains("id=\"bq-job-rows\"", "id=\"bq-plan\"", "id=\"bq-model-history\"",
                "id=\"bq-charts\"", "id=\"bq-detail\"", "id=\"bq-pause\"", "id=\"bq-purge-finished\"");
    }

    @Test
    void consoleViewIsThePagesBody() {
        String view = Page.embedded(settings);
        assertThat(view).startsWith("<!--embed:start-->").endsWith("<!--embed:end-->")
                .contains("<style>", "id=\"bq-root\" data-base=\"/ops/batch\"", "<script>")
                .doesNotContain("<html", "<body");
    }
}

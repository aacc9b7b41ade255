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
                .doesNotContain("href=\"http").doesNotContain("@import").doesNotContain("<script>")
                .doesNotContain("<style>");
        assertThat(page).contains("<script src=\"/ops/batch/static/dashboard.js\"></script>",
                "<link rel=\"stylesheet\" href=\"/ops/batch/static/dashboard.css\">");
        assertThat(page).contains("id=\"bq-job-rows\"", "id=\"bq-plan\"", "id=\"bq-model-history\"",
                "id=\"bq-charts\"", "id=\"bq-detail\"", "id=\"bq-pause\"", "id=\"bq-purge-finished\"");
    }

    @Test
    void consoleViewIsThePagesBody() {
        String view = Page.embedded(settings);
        assertThat(view).startsWith("<!--embed:start-->").endsWith("<!--embed:end-->")
                .contains("/ops/batch/static/dashboard.css", "id=\"bq-root\" data-base=\"/ops/batch\"",
                        "/ops/batch/static/dashboard.js")
                .doesNotContain("<html", "<body");
    }

    @Test
    void scriptAndStyleAreResourcesWithNothingFromOutside() {
        assertThat(Page.resource("dashboard.js").orElseThrow().text()).contains("new EventSource(base + \"/api/events\")");
        for (String name : new String[] {"dashboard.js", "dashboard-view.js"}) {
            assertThat(Page.resource(name)).get().satisfies(js -> {
                assertThat(js.contentType()).isEqualTo("text/javascript;charset=UTF-8");
                assertThat(js.text().replace("\"http://www.w3.org/2000/svg\"", "")) // a name, not a fetch
                        .doesNotContain("http:", "https:", "eval(", "innerHTML");
            });
        }
        assertThat(Page.resource("dashboard.css")).get().satisfies(css -> assertThat(css.text())
                .contains("#bq-root").doesNotContain("@import", "url("));
        assertThat(Page.resource("dashboard.html")).isEmpty();
        assertThat(Page.resource("../Page.class")).isEmpty();
    }

    @Test
    void queueTextIsShownWithHiddenCharactersMadeVisible() {
        String view = Page.resource("dashboard-view.js").orElseThrow().text();
        String js = view + Page.resource("dashboard.js").orElseThrow().text();
        // every text node goes through visible(); the pattern covers controls and the bidirectional controls
        assertThat(view).contains("function el(", "show(node, text)", "\\u202A-\\u202E", "\\u2060-\\u2069",
                "\\u0000-\\u0008", "\\u061C", "\\u200B-\\u200F");
        // what is left: clearing a node, numbers, the page's own words, and text that went through visible()
        assertThat(js.replaceAll("\\.textContent = \"\";", "")
                .replaceAll("\\.textContent = (ms|counts)\\[?\\(?[^;]+;", "")
                .replaceAll("\\$\\(\"bq-(queue-state|connection|mode|order-rule|selected-count)\"\\)\\.textContent = [^;]+;", "")
                .replaceAll("\\.textContent = visible\\([a-z]+\\)", "")).doesNotContain(".textContent =");
    }
}

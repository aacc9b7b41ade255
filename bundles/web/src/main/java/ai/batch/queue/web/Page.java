package ai.batch.queue.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard page ({@code dashboard.html} beside this class): one HTML file with inline CSS and script and
 * no external resource. The part between the {@code embed} markers is the view itself; the Web Console plugin
 * shows that part inside the console.
 */
final class Page {

    private static final String START = "<!--embed:start-->";
    private static final String END = "<!--embed:end-->";

    private Page() {
    }

    /** @return the whole page for the configured path */
    static String full(WebSettings settings) {
        return fill(template(), settings);
    }

    /** @return the view alone (styles, markup, script), to place inside another page */
    static String embedded(WebSettings settings) {
        String page = template();
        return fill(page.substring(page.indexOf(START), page.indexOf(END) + END.length()), settings);
    }

    private static String fill(String text, WebSettings settings) {
        // the path is checked to hold only URL path characters, so it needs no escaping
        return text.replace("{{BASE}}", settings.path())
                .replace("{{ACTIONS}}", Boolean.toString(settings.actionsEnabled()));
    }

    private static String template() {
        try (InputStream in = Page.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

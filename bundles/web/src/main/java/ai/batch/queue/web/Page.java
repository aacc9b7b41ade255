package ai.batch.queue.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard page ({@code dashboard.html} beside this class) and its resources, {@code dashboard.css},
 * {@code dashboard-view.js} (safe text, time format, charts) and {@code dashboard.js} (state, views, actions),
 * served at {@code <path>/static/}: no inline script or style, so the page's Content-Security-Policy needs no {@code 'unsafe-inline'} and an injected script could not run. Nothing comes
 * from another site. The part between the {@code embed} markers is the view itself; the Web Console plugin shows
 * that part inside the console.
 */
final class Page {

    /** A static resource: its content type and text. */
    record Resource(String contentType, String text) {
    }

    /** Where the resources are served, below the configured path. */
    static final String STATIC = "static";

    /** The page's policy: only its own script, style and connections; nothing may frame it but itself. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'self'";

    private static final String START = "<!--embed:start-->";
    private static final String END = "<!--embed:end-->";
    private static final Map<String, String> TYPES = Map.of("dashboard.js", "text/javascript;charset=UTF-8",
            "dashboard-view.js", "text/javascript;charset=UTF-8", "dashboard.css", "text/css;charset=UTF-8");

    private Page() {
    }

    /** @return the whole page for the configured path */
    static String full(WebSettings settings) {
        return fill(template("dashboard.html"), settings);
    }

    /** @return the view alone (style and script links, markup), to place inside another page */
    static String embedded(WebSettings settings) {
        String page = template("dashboard.html");
        return fill(page.substring(page.indexOf(START), page.indexOf(END) + END.length()), settings);
    }

    /**
     * @param name a file name below {@code <path>/static/}
     * @return the resource, or empty when there is none of that name
     */
    static Optional<Resource> resource(String name) {
        String type = TYPES.get(name);
        return type == null ? Optional.empty() : Optional.of(new Resource(type, template(name)));
    }

    private static String fill(String text, WebSettings settings) {
        // the path is checked to hold only URL path characters, so it needs no escaping
        return text.replace("{{BASE}}", settings.path())
                .replace("{{ACTIONS}}", Boolean.toString(settings.actionsEnabled()));
    }

    private static String template(String name) {
        try (InputStream in = Page.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

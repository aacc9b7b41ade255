package ai.batch.queue.web;

import java.io.IOException;
import java.io.PrintWriter;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The Felix Web Console page {@code /system/console/batch}: the dashboard's view inside the console. The console
 * draws its header and navigation around what this servlet writes; the view talks to the dashboard's REST surface
 * and event stream at the configured path.
 */
final class WebConsolePlugin extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The console label: {@code /system/console/batch}. */
    static final String LABEL = "batch";
    /** The console title. */
    static final String TITLE = "Batch queue";

    private final String view;

    WebConsolePlugin(WebSettings settings) {
        this.view = Page.embedded(settings);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.write(view);
        out.flush();
    }
}

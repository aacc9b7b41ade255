package ai.batch.queue.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The Felix Web Console page {@code /system/console/batch}: the dashboard's view inside the console. The console
 * draws its header and navigation around what this servlet writes; the view loads its script and style from, and
 * talks to, the dashboard's REST surface and event stream at the configured path. The view is only given to an
 * allowed Host, as the dashboard's own page is ({@link HostGuard}).
 */
final class WebConsolePlugin extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The console label: {@code /system/console/batch}. */
    static final String LABEL = "batch";
    /** The console title. */
    static final String TITLE = "Batch queue";

    private final String view;
    private final transient HostGuard hosts;

    WebConsolePlugin(WebSettings settings) {
        this.view = Page.embedded(settings);
        this.hosts = new HostGuard(settings.allowedHosts());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        Optional<String> misdirected = hosts.refusal(request.getHeader("Host"), request.getLocalAddr());
        if (misdirected.isPresent()) {
            response.setStatus(421);
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("X-Content-Type-Options", "nosniff");
            PrintWriter out = response.getWriter();
            out.write(misdirected.get());
            out.flush();
            return;
        }
        if ("TRACE".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            response.sendError(405);
            return;
        }
        super.service(request, response);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.write(view);
        out.flush();
    }
}

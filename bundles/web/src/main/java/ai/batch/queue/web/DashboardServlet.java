package ai.batch.queue.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ServletException;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Serves {@code <path>}: the page and its script and style ({@code <path>/static/…}), {@code <path>/api/...}
 * (REST, see {@link QueueApi}), {@code <path>/api/session} (the CSRF token) and {@code <path>/api/events}
 * (Server-Sent Events, see {@link SseHub}).
 *
 * <p>Before any work, every request must name an allowed host ({@link HostGuard}: DNS rebinding), TRACE is refused
 * (it would echo the cookie to a script), and the event stream answers GET only: a HEAD would open a stream whose
 * output a container discards and that never ends.
 */
final class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 16 * 1024;
    private static final List<String> EVENTS = List.of("api", "events");
    /** Seconds a browser refused a stream waits before it tries again. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final transient WebSettings settings;
    private final transient QueueApi api;
    private final transient SseHub hub;
    private final transient HostGuard hosts;
    private final String page;
    private final transient ObjectMapper mapper = new ObjectMapper();

    DashboardServlet(WebSettings settings, QueueApi api, SseHub hub) {
        this.settings = settings;
        this.api = api;
        this.hub = hub;
        this.hosts = new HostGuard(settings.allowedHosts());
        this.page = Page.full(settings);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        Optional<String> misdirected = hosts.refusal(request.getHeader("Host"), request.getLocalAddr());
        if (misdirected.isPresent()) {
            send(response, 421, "text/plain;charset=UTF-8", misdirected.get());
            return;
        }
        String method = request.getMethod();
        if (segments(request).equals(EVENTS) && !"GET".equals(method)) {
            response.setHeader("Allow", "GET");
            sendJson(response, ApiResponse.error(405, "Use GET for " + request.getRequestURI()));
            return;
        }
        if ("TRACE".equals(method)) {
            response.setHeader("Allow", "GET, HEAD, POST");
            sendJson(response, ApiResponse.error(405, "TRACE is not served"));
            return;
        }
        super.service(request, response);
    }

    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Allow", "GET, HEAD, POST"); // HttpServlet's own answer would list TRACE
        response.setStatus(204);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = segments(request);
        if (path.isEmpty()) {
            response.setHeader("Content-Security-Policy", Page.CONTENT_SECURITY_POLICY);
            response.setHeader("X-Frame-Options", "SAMEORIGIN");
            send(response, 200, "text/html;charset=UTF-8", page);
            return;
        }
        if (path.size() == 2 && path.get(0).equals(Page.STATIC)) {
            Optional<Page.Resource> resource = Page.resource(path.get(1));
            if (resource.isPresent()) {
                send(response, 200, resource.get().contentType(), resource.get().text());
                return;
            }
        }
        if (!path.get(0).equals("api")) {
            sendJson(response, ApiResponse.error(404, "No such page: " + request.getRequestURI()));
            return;
        }
        List<String> apiPath = path.subList(1, path.size());
        if (apiPath.equals(List.of("events"))) {
            openStream(request, response);
        } else if (apiPath.equals(List.of("session"))) {
            sendJson(response, ApiResponse.ok(mapper.createObjectNode().put("csrfToken", token(request, response))
                    .put("actionsEnabled", settings.actionsEnabled()).put("path", settings.path())));
        } else {
            sendJson(response, api.handle("GET", apiPath, Map.of()));
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = segments(request);
        if (path.isEmpty() || !path.get(0).equals("api")) {
            sendJson(response, ApiResponse.error(405, "Use GET for " + request.getRequestURI()));
            return;
        }
        var refused = ActionGuard.check(settings.actionsEnabled(), request.getHeader("Origin"),
                request.getHeader("Referer"), request.getHeader("Host"),
                ActionGuard.tokenFor(browserId(request)), request.getHeader(ActionGuard.TOKEN_HEADER));
        if (refused.isPresent()) {
            sendJson(response, refused.get());
            return;
        }
        Map<String, String> parameters;
        try {
            parameters = parameters(request);
        } catch (IllegalArgumentException e) {
            sendJson(response, ApiResponse.error(400, e.getMessage()));
            return;
        }
        sendJson(response, api.handle("POST", path.subList(1, path.size()), parameters));
    }

    private void openStream(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!hub.reserve()) {
            response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            sendJson(response, ApiResponse.error(503, "Too many event streams are open (sse.maxClients="
                    + settings.maxClients() + "); try again later"));
            return;
        }
        AtomicBoolean placeTaken = new AtomicBoolean();
        try {
            startStream(request, response, placeTaken);
        } finally {
            if (!placeTaken.get()) {
                hub.release(); // the stream failed before it took its place
            }
        }
    }

    private void startStream(HttpServletRequest request, HttpServletResponse response, AtomicBoolean placeTaken)
            throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        ServletOutputStream out = response.getOutputStream();
        AtomicReference<SseClient> stream = new AtomicReference<>();
        // Non-blocking output: a write never waits for the browser; the writer thread asks isReady() first.
        out.setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() {
                // the writer thread polls isReady() on its next tick
            }

            @Override
            public void onError(Throwable error) {
                SseClient client = stream.get();
                if (client != null) {
                    hub.disconnect(client);
                }
            }
        });
        if (out.isReady()) {
            out.write("retry: 2000\n: connected\n\n".getBytes(StandardCharsets.UTF_8));
            if (out.isReady()) {
                out.flush();
            }
        }
        SseClient client = hub.connectReserved(new SseClient.Sink() {
            @Override
            public boolean ready() {
                return out.isReady();
            }

            @Override
            public void write(String text) throws IOException {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                if (out.isReady()) {
                    out.flush();
                }
            }

            @Override
            public void close() {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // completed already
                }
            }
        }, request.getHeader("Last-Event-ID"), System.nanoTime());
        placeTaken.set(true);
        stream.set(client);
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                hub.disconnect(client);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                hub.disconnect(client);
            }

            @Override
            public void onError(AsyncEvent event) {
                hub.disconnect(client);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        });
    }

    /**
     * The browser's CSRF token, derived from its id cookie; a browser without one gets a new id. Nothing is kept on
     * the server (see {@link ActionGuard}).
     */
    private String token(HttpServletRequest request, HttpServletResponse response) {
        String id = browserId(request);
        String token = ActionGuard.tokenFor(id);
        if (token == null) {
            id = ActionGuard.newToken();
            token = ActionGuard.tokenFor(id);
            // SameSite=Strict: no other site's page makes the browser send it; HttpOnly: no script reads it
            response.addHeader("Set-Cookie", ActionGuard.COOKIE + "=" + id + "; Path=" + settings.path()
                    + "; HttpOnly; SameSite=Strict");
        }
        return token;
    }

    private static String browserId(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (ActionGuard.COOKIE.equals(cookie.getName())) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    /** Query parameters and, for a JSON object body, its fields as text. */
    private Map<String, String> parameters(HttpServletRequest request) throws IOException {
        Map<String, String> parameters = new HashMap<>();
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    parameters.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        byte[] body = read(request.getInputStream());
        if (body.length > 0) {
            JsonNode json;
            try {
                json = mapper.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("The body is not JSON: " + e.getOriginalMessage());
            }
            if (json != null && json.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> field = it.next();
                    parameters.put(field.getKey(), text(field.getValue()));
                }
            }
        }
        return parameters;
    }

    /** A field as text; an array (the job ids of a bulk action) as its elements, one a line. */
    private static String text(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            return value.asText();
        }
        StringBuilder lines = new StringBuilder();
        value.forEach(element -> lines.append(element.asText()).append('\n'));
        return lines.toString();
    }

    private static byte[] read(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("The body is larger than " + MAX_BODY + " bytes");
        }
        return body;
    }

    /** The path below {@code <path>}, decoded, split at '/', without empty segments. */
    private static List<String> segments(HttpServletRequest request) {
        String info = request.getPathInfo();
        List<String> segments = new ArrayList<>();
        if (info != null) {
            for (String segment : info.split("/")) {
                if (!segment.isEmpty()) {
                    segments.add(segment);
                }
            }
        }
        return segments;
    }

    private void sendJson(HttpServletResponse response, ApiResponse answer) throws IOException {
        String body;
        try {
            body = mapper.writeValueAsString(answer.body());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        send(response, answer.status(), "application/json;charset=UTF-8", body);
    }

    private static void send(HttpServletResponse response, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(type);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(bytes);
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}

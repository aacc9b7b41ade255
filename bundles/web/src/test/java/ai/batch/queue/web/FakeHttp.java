package ai.batch.queue.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncListener;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Just enough of a servlet container to drive a servlet in a unit test: a request with a method, path, headers
 * and body, and a response that records status, headers and body. Built from dynamic proxies, so that the tests
 * need no container (the bundle has none to test with); methods a test does not set answer null, 0 or false.
 */
final class FakeHttp {

    /** What one request did. */
    static final class Exchange {
        final String method;
        final String pathInfo;
        final Map<String, String> requestHeaders = new LinkedHashMap<>();
        final List<Cookie> requestCookies = new ArrayList<>();
        String localAddr = "127.0.0.1";
        byte[] body = new byte[0];

        int status = 200;
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final AtomicInteger sessionsCreated = new AtomicInteger();
        boolean asyncStarted;
        boolean asyncCompleted;
        final List<AsyncListener> asyncListeners = new ArrayList<>();
        WriteListener writeListener;
        /** Whether the response's output takes writes now (the browser keeps up). */
        volatile boolean outputReady = true;
        /** Whether a write fails (the browser has gone). */
        volatile boolean gone;

        Exchange(String method, String pathInfo) {
            this.method = method;
            this.pathInfo = pathInfo;
        }

        Exchange header(String name, String value) {
            requestHeaders.put(name, value);
            return this;
        }

        Exchange cookie(String name, String value) {
            requestCookies.add(new Cookie(name, value));
            return this;
        }

        Exchange body(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        String body() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(entry.getValue().size() - 1);
                }
            }
            return null;
        }

        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            headers.forEach((key, list) -> {
                if (key.equalsIgnoreCase(name)) {
                    values.addAll(list);
                }
            });
            return values;
        }
    }

    private FakeHttp() {
    }

    /** Sends the request to the servlet; its Host is localhost:8088 unless set. */
    static Exchange send(HttpServlet servlet, Exchange exchange) throws Exception {
        exchange.requestHeaders.putIfAbsent("Host", "localhost:8088");
        servlet.service(request(exchange), response(exchange));
        return exchange;
    }

    static Exchange send(HttpServlet servlet, String method, String pathInfo, String host) throws Exception {
        return send(servlet, new Exchange(method, pathInfo).header("Host", host));
    }

    private static HttpServletRequest request(Exchange x) {
        ServletInputStream in = new ServletInputStream() {
            private final ByteArrayInputStream bytes = new ByteArrayInputStream(x.body);

            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        AsyncContext async = (AsyncContext) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "complete" -> {
                        x.asyncCompleted = true;
                        yield null;
                    }
                    case "addListener" -> {
                        x.asyncListeners.add((AsyncListener) args[0]);
                        yield null;
                    }
                    default -> defaultValue(method.getReturnType());
                });
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getMethod" -> x.method;
                    case "getPathInfo" -> x.pathInfo;
                    case "getServletPath" -> "/batch";
                    case "getContextPath" -> "";
                    case "getRequestURI" -> "/batch" + (x.pathInfo == null ? "" : x.pathInfo);
                    case "getRequestURL" -> new StringBuffer("http://" + x.requestHeaders.get("Host") + "/batch"
                            + (x.pathInfo == null ? "" : x.pathInfo));
                    case "getProtocol" -> "HTTP/1.1";
                    case "getScheme" -> "http";
                    case "getLocalAddr" -> x.localAddr;
                    case "getLocalPort" -> 8088;
                    case "getRemoteAddr" -> "127.0.0.1";
                    case "getHeader" -> headerValue(x, (String) args[0]);
                    case "getHeaders" -> Collections.enumeration(headerValue(x, (String) args[0]) == null
                            ? List.of() : List.of(headerValue(x, (String) args[0])));
                    case "getHeaderNames" -> Collections.enumeration(x.requestHeaders.keySet());
                    case "getCookies" -> x.requestCookies.isEmpty() ? null
                            : x.requestCookies.toArray(new Cookie[0]);
                    case "getInputStream" -> in;
                    case "getSession" -> {
                        if (args != null && args.length == 1 && !(Boolean) args[0]) {
                            yield null;
                        }
                        x.sessionsCreated.incrementAndGet();
                        throw new UnsupportedOperationException("this fake makes no sessions");
                    }
                    case "startAsync" -> {
                        x.asyncStarted = true;
                        yield async;
                    }
                    case "isAsyncSupported" -> true;
                    default -> defaultValue(method.getReturnType());
                });
    }

    private static String headerValue(Exchange x, String name) {
        for (Map.Entry<String, String> entry : x.requestHeaders.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static HttpServletResponse response(Exchange x) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) throws IOException {
                if (x.gone) {
                    throw new IOException("Broken pipe");
                }
                x.out.write(b);
            }

            @Override
            public boolean isReady() {
                return x.outputReady;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                x.writeListener = listener;
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> {
                        x.status = (Integer) args[0];
                        yield null;
                    }
                    case "sendError" -> {
                        x.status = (Integer) args[0];
                        if (args.length > 1) {
                            x.out.write(String.valueOf(args[1]).getBytes(StandardCharsets.UTF_8));
                        }
                        yield null;
                    }
                    case "getStatus" -> x.status;
                    case "setHeader" -> {
                        x.headers.put((String) args[0], new ArrayList<>(List.of(String.valueOf(args[1]))));
                        yield null;
                    }
                    case "addHeader" -> {
                        x.headers.computeIfAbsent((String) args[0], k -> new ArrayList<>())
                                .add(String.valueOf(args[1]));
                        yield null;
                    }
                    case "setContentType" -> {
                        x.headers.put("Content-Type", new ArrayList<>(List.of((String) args[0])));
                        yield null;
                    }
                    case "getHeader" -> x.header((String) args[0]);
                    case "containsHeader" -> x.header((String) args[0]) != null;
                    case "getOutputStream" -> out;
                    case "getWriter" -> new java.io.PrintWriter(
                            new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
                    case "addCookie" -> {
                        Cookie cookie = (Cookie) args[0];
                        x.headers.computeIfAbsent("Set-Cookie", k -> new ArrayList<>())
                                .add(cookie.getName() + "=" + cookie.getValue());
                        yield null;
                    }
                    case "getCharacterEncoding" -> "UTF-8";
                    case "getLocale" -> Locale.ROOT;
                    default -> defaultValue(method.getReturnType());
                });
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }
}

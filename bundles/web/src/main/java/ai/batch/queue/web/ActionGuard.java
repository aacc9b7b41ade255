package ai.batch.queue.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may steer the queue: actions must be enabled, the request must come from a page of the same origin, and it
 * must carry the session's CSRF token in the {@value #TOKEN_HEADER} header.
 *
 * <p>Same origin: the {@code Origin} header (sent by browsers with every cross-origin request and every POST) or,
 * without it, the {@code Referer} must name the host and port of the request's {@code Host} header. A request with
 * neither (a script, not a browser) still needs the token, which only a same-origin page or a client holding the
 * session can read.
 */
final class ActionGuard {

    /** The request header that carries the token. */
    static final String TOKEN_HEADER = "X-CSRF-Token";
    /** The session attribute that holds the token. */
    static final String SESSION_ATTRIBUTE = "ai.batch.queue.web.csrfToken";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ActionGuard() {
    }

    /** @return a new unguessable token */
    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Checks an action request.
     *
     * @param actionsEnabled the configuration's {@code actions.enabled}
     * @param origin the {@code Origin} header, or null
     * @param referer the {@code Referer} header, or null
     * @param host the {@code Host} header, or null
     * @param sessionToken the token kept in the session, or null when there is no session
     * @param sentToken the {@value #TOKEN_HEADER} header, or null
     * @return a 403 answer, or empty when the action may go ahead
     */
    static Optional<ApiResponse> check(boolean actionsEnabled, String origin, String referer, String host,
            String sessionToken, String sentToken) {
        if (!actionsEnabled) {
            return Optional.of(ApiResponse.error(403, "The dashboard is read-only: set actions.enabled=true in "
                    + "configuration " + WebConfig.PID + " to allow actions"));
        }
        String source = origin != null ? origin : referer;
        if (source != null && !sameOrigin(source, host)) {
            return Optional.of(ApiResponse.error(403, "Cross-origin request refused: " + (origin != null ? "Origin"
                    : "Referer") + " '" + source + "' is not the dashboard's host '" + host + "'"));
        }
        if (sessionToken == null || sentToken == null || !MessageDigest.isEqual(
                sessionToken.getBytes(StandardCharsets.UTF_8), sentToken.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(ApiResponse.error(403, "Missing or wrong CSRF token: read it from GET <path>/api/session "
                    + "and send it in the " + TOKEN_HEADER + " header"));
        }
        return Optional.empty();
    }

    /**
     * @param source an origin or URL such as {@code http://localhost:8088} or {@code http://localhost:8088/batch}
     * @param host a Host header such as {@code localhost:8088}
     * @return whether both name the same host and port
     */
    static boolean sameOrigin(String source, String host) {
        if (host == null || host.isBlank() || "null".equals(source)) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(source.trim());
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return false;
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int sourcePort = uri.getPort() == -1 ? defaultPort : uri.getPort();
        String hostName;
        int hostPort;
        String trimmed = host.trim().toLowerCase(Locale.ROOT);
        int colon = trimmed.lastIndexOf(':');
        if (colon > trimmed.lastIndexOf(']')) {
            hostName = trimmed.substring(0, colon);
            try {
                hostPort = Integer.parseInt(trimmed.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        } else {
            hostName = trimmed;
            hostPort = defaultPort;
        }
        return uri.getHost().toLowerCase(Locale.ROOT).equals(hostName) && sourcePort == hostPort;
    }
}

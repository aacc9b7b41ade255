package ai.batch.queue.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may steer the queue: actions must be enabled, the request must come from a page of the same origin, and it
 * must carry the browser's CSRF token in the {@value #TOKEN_HEADER} header.
 *
 * <p>The token needs no server session (a session per {@code GET <path>/api/session} would let anyone fill the
 * heap): {@code GET <path>/api/session} gives the browser a random id in the {@value #COOKIE} cookie (HttpOnly,
 * SameSite=Strict), and the token is an HMAC of that id under a secret kept in memory. A POST must send the token
 * that matches its own cookie, which only a page that could read {@code <path>/api/session} (same origin, allowed
 * Host) knows; another browser, or a client without the cookie, has no matching token.
 *
 * <p>Same origin: the {@code Origin} header (sent by browsers with every cross-origin request and every POST) or,
 * without it, the {@code Referer} must name the host and port of the request's {@code Host} header. A request with
 * neither (a script, not a browser) still needs the token, which only a same-origin page or a client holding the
 * cookie can read.
 */
final class ActionGuard {

    /** The request header that carries the token. */
    static final String TOKEN_HEADER = "X-CSRF-Token";
    /** The cookie that holds the browser's id, from which its token is derived. */
    static final String COOKIE = "bq-csrf";

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The HMAC key: one per loading of the bundle, so a configuration change (which makes a new servlet) keeps
     * the tokens pages already hold; a restart makes pages ask again, as a lost session did before.
     */
    private static final byte[] SECRET = randomBytes(32);

    private ActionGuard() {
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** @return a new unguessable token (a browser's id) */
    static String newToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    }

    /**
     * @param browserId the {@value #COOKIE} cookie's value, or null
     * @return the CSRF token of that browser, or null when it has no usable id
     */
    static String tokenFor(String browserId) {
        if (browserId == null || !browserId.matches("[A-Za-z0-9_-]{43}")) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(browserId.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /**
     * Checks an action request.
     *
     * @param actionsEnabled the configuration's {@code actions.enabled}
     * @param origin the {@code Origin} header, or null
     * @param referer the {@code Referer} header, or null
     * @param host the {@code Host} header, or null
     * @param expectedToken the token of the browser's cookie ({@link #tokenFor}), or null when it has none
     * @param sentToken the {@value #TOKEN_HEADER} header, or null
     * @return a 403 answer, or empty when the action may go ahead
     */
    static Optional<ApiResponse> check(boolean actionsEnabled, String origin, String referer, String host,
            String expectedToken, String sentToken) {
        if (!actionsEnabled) {
            return Optional.of(ApiResponse.error(403, "The dashboard is read-only: set actions.enabled=true in "
                    + "configuration " + WebConfig.PID + " to allow actions"));
        }
        String source = origin != null ? origin : referer;
        if (source != null && !sameOrigin(source, host)) {
            return Optional.of(ApiResponse.error(403, "Cross-origin request refused: " + (origin != null ? "Origin"
                    : "Referer") + " '" + source + "' is not the dashboard's host '" + host + "'"));
        }
        if (expectedToken == null || sentToken == null || !MessageDigest.isEqual(
                expectedToken.getBytes(StandardCharsets.UTF_8), sentToken.getBytes(StandardCharsets.UTF_8))) {
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

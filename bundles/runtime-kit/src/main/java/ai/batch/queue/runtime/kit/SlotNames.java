package ai.batch.queue.runtime.kit;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The slot ({@code ai.batch.slot}) that one configuration of a model-server bundle declares: one server is one
 * runtime, so by default each configuration names its server, as {@code <runtime>@<host>:<port>} (e.g.
 * {@code ollama@gpu-box:11434}, {@code openai@[::1]:8080}). The name holds the host and port only, never a login,
 * a path or a query, so it shows nothing that may be a secret wherever the slot shows (service properties, events,
 * the dashboard). It is stable: the scheme's port is written out when the URL leaves it out, and the host is
 * lower-cased, so {@code http://GPU-Box/} and {@code http://gpu-box:80} name the same slot.
 *
 * <p>A configured name wins; {@value #NONE} declares no slot, so the handler is one of its models' handlers as
 * before slots existed.
 */
public final class SlotNames {

    /** The configured value that declares no slot (any case). */
    public static final String NONE = "none";

    /** A URL with a login ({@code scheme://user:password@host}): refused as a slot name, which is public. */
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/?#\\s]*@");

    private SlotNames() {
    }

    /**
     * @param configured the configuration's {@code ai.batch.slot}, or {@code null}
     * @param runtime what serves the models, the name's prefix (e.g. {@code ollama})
     * @param server the server's URL, with a host
     * @return the slot to declare: the configured name (trimmed), the derived one when none is configured (blank),
     *         or empty for {@value #NONE}
     * @throws IllegalArgumentException naming the key (never the value) when the configured name is a URL with
     *         a login, or when the server has no host
     */
    public static Optional<String> resolve(String configured, String runtime, URI server) {
        String name = configured == null ? "" : configured.strip();
        if (name.equalsIgnoreCase(NONE)) {
            return Optional.empty();
        }
        if (LOGIN.matcher(name).find()) {
            throw new IllegalArgumentException("ai.batch.slot must not carry a login (user:password@host): it is "
                    + "a service property and shows in events; name the server instead, e.g. gpu-box-2");
        }
        return Optional.of(name.isEmpty() ? derived(runtime, server) : name);
    }

    /**
     * @param runtime the name's prefix
     * @param server the server's URL, with a host
     * @return {@code <runtime>@<host>:<port>}, an IPv6 host in brackets
     */
    public static String derived(String runtime, URI server) {
        return runtime + "@" + hostAndPort(server);
    }

    /**
     * @param server an http or https URL with a host
     * @return its host, lower-cased (in brackets when IPv6), and its port, the scheme's default when not given
     */
    static String hostAndPort(URI server) {
        String host = server.getHost();
        if (host == null) {
            throw new IllegalArgumentException("the server URL has no host, so it names no slot");
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host.toLowerCase(Locale.ROOT) + ":" + port(server);
    }

    /**
     * @param server an http or https URL with a host
     * @return the URL as it identifies the server: scheme, host and port (as in {@link #derived}) and the path
     *         without a trailing slash; no login, query or fragment
     */
    static String identity(URI server) {
        String scheme = server.getScheme() == null ? "http" : server.getScheme().toLowerCase(Locale.ROOT);
        String path = server.getRawPath() == null ? "" : server.getRawPath().replaceAll("/+$", "");
        return scheme + "://" + hostAndPort(server) + path;
    }

    private static int port(URI server) {
        if (server.getPort() >= 0) {
            return server.getPort();
        }
        return "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80;
    }
}

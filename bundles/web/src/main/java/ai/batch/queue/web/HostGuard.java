package ai.batch.queue.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which Host headers the dashboard answers (against DNS rebinding). A page of another site whose name was made to
 * resolve to 127.0.0.1 is same-origin with itself, not with the dashboard, yet its requests reach the dashboard;
 * its Host header still names that site. So every request must name a loopback host ({@code localhost},
 * {@code 127.0.0.1}, {@code [::1]}, any port), the address the request arrived on (a user who binds to a LAN
 * address and types it), or a configured {@code allowedHosts} entry ({@code name} for any port,
 * {@code name:port} for one). Names are compared as text and IP literals as addresses: nothing is looked up in
 * DNS, which the attacker controls.
 */
final class HostGuard {

    /** A host: its name in lower case (an IPv6 address in brackets) and its port, -1 when none was given. */
    record Host(String name, int port) {
    }

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*\\.?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+\\]");

    private final List<Host> allowed;

    /** @param allowedHosts the configured entries, already checked by {@link WebSettings} */
    HostGuard(List<String> allowedHosts) {
        this.allowed = allowedHosts.stream().map(HostGuard::parse).toList();
    }

    /**
     * @param hostHeader the request's Host header, or null
     * @param localAddress the address the request arrived on ({@code getLocalAddr()}), or null
     * @return the refusal to send (plain text, the host escaped), or empty when the host is allowed
     */
    Optional<String> refusal(String hostHeader, String localAddress) {
        Host host = parse(hostHeader);
        if (host != null && (LOOPBACK.contains(withoutDot(host.name())) || sameAddress(host.name(), localAddress)
                || allowed.stream().anyMatch(entry -> entry.name().equals(host.name())
                        && (entry.port() == -1 || entry.port() == host.port())))) {
            return Optional.empty();
        }
        String named = hostHeader == null || hostHeader.isBlank() ? "no Host header"
                : "host '" + VisibleText.escape(hostHeader.trim()) + "'";
        return Optional.of("Misdirected request: the dashboard does not answer to " + named + ". It answers to "
                + "localhost, 127.0.0.1, [::1], the address it listens on, and the hosts listed in allowedHosts of "
                + "configuration " + WebConfig.PID + ".\n");
    }

    /**
     * @param text a Host header or an allowedHosts entry: {@code name}, {@code name:port}, {@code [v6]:port}
     * @return it parsed and in lower case, or null when it is not one
     */
    static Host parse(String text) {
        if (text == null) {
            return null;
        }
        String host = text.trim().toLowerCase(Locale.ROOT);
        String name = host;
        int port = -1;
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            name = host.substring(0, colon);
            String digits = host.substring(colon + 1);
            if (!digits.matches("\\d{1,5}") || Integer.parseInt(digits) > 65_535) {
                return null;
            }
            port = Integer.parseInt(digits);
        }
        return NAME.matcher(name).matches() || IPV6.matcher(name).matches() ? new Host(name, port) : null;
    }

    private static String withoutDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** Whether an IP literal in the Host header is the address the request arrived on. */
    private static boolean sameAddress(String name, String localAddress) {
        if (localAddress == null || localAddress.isBlank()) {
            return false;
        }
        String literal = name.startsWith("[") ? name.substring(1, name.length() - 1) : name;
        if (!(IPV4.matcher(literal).matches() || name.startsWith("["))) {
            return false; // a name: never resolved, since whoever serves its DNS decides the answer
        }
        String local = localAddress.trim();
        int scope = local.indexOf('%');
        local = scope >= 0 ? local.substring(0, scope) : local;
        if (local.startsWith("[")) {
            local = local.substring(1, local.length() - 1);
        }
        try {
            // both are IP literals (checked above; getLocalAddr returns one), so nothing is looked up
            return local.matches("[0-9a-fA-F:.]+")
                    && InetAddress.getByName(literal).equals(InetAddress.getByName(local));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

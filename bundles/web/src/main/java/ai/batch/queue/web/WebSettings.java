package ai.batch.queue.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checked dashboard configuration.
 *
 * @param path the page's path, e.g. {@code /batch}
 * @param actionsEnabled whether POST actions are allowed
 * @param maxRate SSE frames per second per client
 * @param clientBuffer events buffered per client
 * @param replayBuffer events kept for Last-Event-ID resume
 * @param heartbeatMs heartbeat interval
 * @param historySize entries kept per history
 * @param allowedHosts host names, or name:port, allowed in the Host header besides the loopback ones; lower case
 * @param maxClients the most event streams open at once
 */
record WebSettings(String path, boolean actionsEnabled, double maxRate, int clientBuffer, int replayBuffer,
        long heartbeatMs, int historySize, List<String> allowedHosts, int maxClients) {

    static final int DEFAULT_MAX_CLIENTS = 32;
    static final WebSettings DEFAULTS = new WebSettings("/batch", false, 10, 256, 1024, 15_000, 200);

    WebSettings {
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** Settings with no extra allowed host and the default stream limit. */
    WebSettings(String path, boolean actionsEnabled, double maxRate, int clientBuffer, int replayBuffer,
            long heartbeatMs, int historySize) {
        this(path, actionsEnabled, maxRate, clientBuffer, replayBuffer, heartbeatMs, historySize, List.of(),
                DEFAULT_MAX_CLIENTS);
    }

    /**
     * Checks a configuration.
     *
     * @throws IllegalArgumentException naming the first bad key
     */
    static WebSettings from(WebConfig config) {
        String path = config.path() == null ? "" : config.path().trim();
        if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException("path must start with '/', not end with '/', and hold only letters, "
                    + "digits and . _ ~ - between slashes, was '" + config.path() + "'");
        }
        if (!(config.sse_maxRate() > 0) || Double.isInfinite(config.sse_maxRate())) {
            throw new IllegalArgumentException("sse.maxRate must be greater than 0, was " + config.sse_maxRate());
        }
        if (config.sse_clientBuffer() < 1) {
            throw new IllegalArgumentException("sse.clientBuffer must be at least 1, was " + config.sse_clientBuffer());
        }
        if (config.sse_replayBuffer() < 1) {
            throw new IllegalArgumentException("sse.replayBuffer must be at least 1, was " + config.sse_replayBuffer());
        }
        if (config.sse_heartbeatMs() < 100) {
            throw new IllegalArgumentException("sse.heartbeatMs must be at least 100, was " + config.sse_heartbeatMs());
        }
        if (config.history_size() < 1) {
            throw new IllegalArgumentException("history.size must be at least 1, was " + config.history_size());
        }
        if (config.sse_maxClients() < 1) {
            throw new IllegalArgumentException("sse.maxClients must be at least 1, was " + config.sse_maxClients());
        }
        return new WebSettings(path, config.actions_enabled(), config.sse_maxRate(), config.sse_clientBuffer(),
                config.sse_replayBuffer(), config.sse_heartbeatMs(), config.history_size(),
                hosts(config.allowedHosts()), config.sse_maxClients());
    }

    /** Checks each entry is a host name, an IP address or either with a port, so that a typo fails loudly. */
    private static List<String> hosts(String[] configured) {
        List<String> hosts = new ArrayList<>();
        for (String entry : configured == null ? new String[0] : configured) {
            String host = entry == null ? "" : entry.trim().toLowerCase(Locale.ROOT);
            if (host.isEmpty()) {
                continue;
            }
            if (HostGuard.parse(host) == null) {
                throw new IllegalArgumentException("allowedHosts holds '" + VisibleText.escape(entry) + "', which is "
                        + "not a host name, an IP address ([…] for IPv6) or either with :port");
            }
            hosts.add(host);
        }
        return hosts;
    }

    /** @return the shortest time between two frames to one client, in nanoseconds */
    long minFrameIntervalNanos() {
        return (long) (1_000_000_000L / maxRate);
    }
}

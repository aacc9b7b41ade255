package ai.batch.queue.karaf;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fresh copy of the unpacked Karaf distribution, configured for a test run: the {@code karaf} user enabled, SSH,
 * HTTP and the JMX RMI ports moved to free ports of 127.0.0.1, and pax-url-mvn pointed at the build: first the
 * staging repository with the reactor's artifacts in Maven layout, then the build's local repository for
 * third-party bundles (Jackson, and Felix SCR with Karaf's scr bundles, which the distribution does not ship;
 * {@code karaf:verify} in {@code features/karaf} has fetched them there), and no remote repository at all.
 */
final class KarafInstance {

    private final Path distribution;
    private final Path home;
    private final Path stagingRepository;
    private final Path localRepository;
    private int sshPort;
    private int httpPort;

    KarafInstance(Path distribution, Path home, Path stagingRepository, Path localRepository) {
        this.distribution = distribution;
        this.home = home;
        this.stagingRepository = stagingRepository;
        this.localRepository = localRepository;
    }

    /** Replaces the instance directory with a fresh copy of the distribution and configures it. */
    void prepare() throws IOException {
        if (!Files.isExecutable(distribution.resolve("bin/karaf"))) {
            throw new IllegalStateException("No Karaf distribution at " + distribution
                    + " (unpacked in pre-integration-test)");
        }
        deleteRecursively(home);
        copyRecursively(distribution, home);
        configure();
    }

    Path home() {
        return home;
    }

    int sshPort() {
        return sshPort;
    }

    int httpPort() {
        return httpPort;
    }

    private void configure() throws IOException {
        sshPort = freePort();

        Path users = home.resolve("etc/users.properties");
        String usersText = Files.readString(users, StandardCharsets.UTF_8)
                .replace("\n#karaf = karaf,_g_:admingroup", "\nkaraf = karaf,_g_:admingroup")
                .replace("\n#_g_\\:admingroup = ", "\n_g_\\:admingroup = ");
        if (!usersText.contains("\nkaraf = karaf,_g_:admingroup")) {
            throw new IllegalStateException("Cannot enable the karaf user in " + users);
        }
        Files.writeString(users, usersText, StandardCharsets.UTF_8);

        setProperties("etc/org.apache.karaf.shell.cfg", "sshPort = " + sshPort, "sshHost = 127.0.0.1");
        httpPort = freePort();
        // A fresh Karaf has no Pax Web configuration yet: it is read when a feature starts HTTP.
        Files.writeString(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = " + httpPort
                + "\norg.ops4j.pax.web.listening.addresses = 127.0.0.1\n", StandardCharsets.UTF_8);
        setProperties("etc/org.apache.karaf.management.cfg", "rmiRegistryPort = " + freePort(),
                "rmiServerPort = " + freePort());
        // The distribution's own system folder stays first; then the build's artifacts; third-party bundles from
        // the build's local repository; nothing remote, so a missing bundle fails here instead of downloading.
        setProperties("etc/org.ops4j.pax.url.mvn.cfg",
                "org.ops4j.pax.url.mvn.defaultRepositories = "
                        + "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                        + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots, "
                        + stagingRepository.toUri() + "@id=build.staging@snapshots",
                "org.ops4j.pax.url.mvn.localRepository = " + localRepository,
                "org.ops4j.pax.url.mvn.repositories = ",
                "org.ops4j.pax.url.mvn.useFallbackRepositories = false");
    }

    /**
     * Replaces the given {@code key = value} lines of a Karaf .cfg file, keeping its comments; a property that
     * spans several lines (trailing backslash) is replaced whole, and a missing one is appended.
     */
    private void setProperties(String file, String... assignments) throws IOException {
        Path path = home.resolve(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(path, StandardCharsets.UTF_8));
        for (String assignment : assignments) {
            String key = assignment.substring(0, assignment.indexOf('=')).trim();
            boolean found = false;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches("\\s*" + Pattern.quote(key) + "\\s*=.*")) {
                    int end = i;
                    while (lines.get(end).endsWith("\\") && end + 1 < lines.size()) {
                        end++;
                    }
                    lines.subList(i + 1, end + 1).clear();
                    lines.set(i, assignment);
                    found = true;
                    break;
                }
            }
            if (!found) {
                lines.add(assignment);
            }
        }
        Files.write(path, lines, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}

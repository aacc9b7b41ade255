package ai.batch.queue.benchmarks.felix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Builds {@code org.osgi.framework.system.packages.extra}: the packages that the benchmark code outside the
 * framework shares with the bundles inside it. Each clause is copied from the {@code Export-Package} header of
 * the jar that provides the package on the class path, so the versions are the real ones (for example the API
 * packages' {@code @Version} from the build) and never go stale in this code.
 */
public final class SystemPackages {

    /**
     * The packages shared with the framework: the queue's API (the service and handler interfaces), the Jackson
     * annotations the API's value types carry, and the EventAdmin API (events and handlers cross the boundary).
     */
    public static final List<String> SHARED = List.of("ai.batch.queue", "ai.batch.queue.handler",
            "com.fasterxml.jackson.annotation", "org.osgi.service.event");

    private SystemPackages() {
    }

    /**
     * @param jars the class-path jars to read
     * @return the value for {@code org.osgi.framework.system.packages.extra}
     * @throws IllegalStateException if a shared package is exported by none of the jars
     */
    public static String extra(List<Path> jars) {
        Map<String, String> clauses = new LinkedHashMap<>();
        for (Path jar : jars) {
            for (String clause : split(exportHeader(jar))) {
                String name = clause.split(";", 2)[0].trim();
                if (SHARED.contains(name)) {
                    clauses.putIfAbsent(name, clause.trim());
                }
            }
        }
        List<String> missing = new ArrayList<>(SHARED);
        missing.removeAll(clauses.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("No Export-Package clause for " + missing + " in " + jars);
        }
        List<String> ordered = new ArrayList<>();
        for (String name : SHARED) {
            ordered.add(clauses.get(name));
        }
        return String.join(",", ordered);
    }

    private static String exportHeader(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String header = manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
            return header == null ? "" : header;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + jar, e);
        }
    }

    /** Splits a manifest header at the commas that are outside quotes. */
    static List<String> split(String header) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }
}

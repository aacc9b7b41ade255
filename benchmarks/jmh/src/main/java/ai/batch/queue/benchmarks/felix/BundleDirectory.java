package ai.batch.queue.benchmarks.felix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the bundle jars are: {@code -Dbundles.dir=…}, else the {@code bundles} directory beside the jar this class
 * was loaded from ({@code target/bundles} next to {@code target/benchmarks.jar}). The build copies the bundles
 * to install there, the jars whose packages come from the class path (read for their versions only) to its
 * {@code classpath} subdirectory, and the dashboard's bundles to its {@code dashboard} subdirectory.
 */
public final class BundleDirectory {

    /** The system property that overrides the location. */
    public static final String PROPERTY = "bundles.dir";

    private final Path directory;

    private BundleDirectory(Path directory) {
        this.directory = directory;
    }

    /**
     * @return the bundle directory
     * @throws IllegalStateException if it cannot be found
     */
    public static BundleDirectory locate() {
        String configured = System.getProperty(PROPERTY);
        Path directory;
        if (configured != null && !configured.isBlank()) {
            directory = Paths.get(configured);
        } else {
            directory = besideCodeSource().resolve("bundles");
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("No bundle directory at " + directory.toAbsolutePath() + ": build with "
                    + "`mvn -pl benchmarks/jmh -am package -DskipTests` or pass -D" + PROPERTY + "=…");
        }
        return new BundleDirectory(directory.toAbsolutePath().normalize());
    }

    private static Path besideCodeSource() {
        CodeSource source = BundleDirectory.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Paths.get(".");
        }
        try {
            Path location = Paths.get(source.getLocation().toURI());
            return location.getParent(); // target/ for both target/benchmarks.jar and target/classes
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot tell where " + source.getLocation() + " is", e);
        }
    }

    /** @return the directory */
    public Path path() {
        return directory;
    }

    /** @return the jars to install in the framework, sorted by name */
    public List<Path> bundles() {
        return jars(directory);
    }

    /** @return the dashboard and its HTTP runtime, installed only by the dashboard case, sorted by name */
    public List<Path> dashboardBundles() {
        return jars(directory.resolve("dashboard"));
    }

    /** @return the jars whose packages the system bundle exports from the class path */
    public List<Path> classPathJars() {
        return jars(directory.resolve("classpath"));
    }

    private static List<Path> jars(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("Missing directory " + dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

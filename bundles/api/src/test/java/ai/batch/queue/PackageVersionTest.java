package ai.batch.queue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every package of the API bundle is exported with an explicit version. bnd would quietly export an unversioned
 * package at the bundle's version, so the compiled package-info classes are checked for both annotations (they
 * are CLASS-retained, hence present in the class file).
 */
class PackageVersionTest {

    private static final Path CLASSES = Paths.get("target", "classes");

    @Test
    void everyPackageHasExportAndVersionAnnotations() throws IOException {
        List<Path> packages;
        try (Stream<Path> files = Files.walk(CLASSES)) {
            packages = files.filter(f -> f.toString().endsWith(".class")).map(Path::getParent).distinct()
                    .filter(dir -> !dir.startsWith(CLASSES.resolve("META-INF"))).collect(Collectors.toList());
        }
        assertFalse(packages.isEmpty(), "no compiled classes under " + CLASSES.toAbsolutePath());
        for (Path dir : packages) {
            Path info = dir.resolve("package-info.class");
            assertTrue(Files.isRegularFile(info), "package " + CLASSES.relativize(dir) + " has no package-info");
            String bytes = new String(Files.readAllBytes(info), StandardCharsets.ISO_8859_1);
            assertTrue(bytes.contains("Lorg/osgi/annotation/versioning/Version;"),
                    "package " + CLASSES.relativize(dir) + " lacks @Version");
            assertTrue(bytes.contains("Lorg/osgi/annotation/bundle/Export;"),
                    "package " + CLASSES.relativize(dir) + " lacks @Export");
        }
    }
}

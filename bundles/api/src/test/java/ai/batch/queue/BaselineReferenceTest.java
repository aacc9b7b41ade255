package ai.batch.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The baseline check compares the API with a checked-in reference of it (see README, "Versioning"). That only
 * catches a change made without a version bump while the reference exports the packages at the versions the
 * sources declare: with a reference one version behind, a package already one minor step ahead accepts any
 * further addition silently. So whenever a package version moves, the reference must move with it.
 */
class BaselineReferenceTest {

    private static final Pattern COORDINATES = Pattern.compile(
            "<baseCoordinates>([^:<]+):([^:<]+):([^:<]+)</baseCoordinates>");
    private static final Pattern SOURCE_VERSION = Pattern.compile("@Version\\(\"([^\"]+)\"\\)");
    private static final Pattern EXPORT = Pattern.compile("([a-z][\\w.]*);version=\"([^\"]+)\"");

    @Test
    void theReferenceExportsEveryPackageAtTheVersionTheSourcesDeclare() throws IOException {
        Matcher coordinates = COORDINATES.matcher(Files.readString(Paths.get("pom.xml")));
        assertThat(coordinates.find()).as("baseCoordinates in bundles/api/pom.xml").isTrue();
        String artifact = coordinates.group(2);
        String version = coordinates.group(3);
        Path jar = Paths.get("baseline").resolve(coordinates.group(1).replace('.', '/')).resolve(artifact)
                .resolve(version).resolve(artifact + "-" + version + ".jar");
        assertThat(jar).as("the reference named by baseCoordinates").isRegularFile();

        assertThat(referenceExports(jar)).as("package versions of %s (refresh it after a version bump, as the "
                + "README's Versioning section says)", jar).isEqualTo(sourceVersions());
    }

    private static Map<String, String> referenceExports(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String exports = file.getManifest().getMainAttributes().getValue("Export-Package");
            Map<String, String> versions = new TreeMap<>();
            Matcher export = EXPORT.matcher(exports);
            while (export.find()) {
                versions.put(export.group(1), export.group(2));
            }
            return versions;
        }
    }

    private static Map<String, String> sourceVersions() throws IOException {
        Path sources = Paths.get("src", "main", "java");
        Map<String, String> versions = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path info : files.filter(f -> f.endsWith("package-info.java")).toList()) {
                Matcher version = SOURCE_VERSION.matcher(Files.readString(info, StandardCharsets.UTF_8));
                if (version.find()) {
                    versions.put(sources.relativize(info.getParent()).toString().replace('/', '.'),
                            version.group(1));
                }
            }
        }
        return versions;
    }
}

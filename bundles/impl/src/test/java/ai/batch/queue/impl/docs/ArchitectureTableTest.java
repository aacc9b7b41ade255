package ai.batch.queue.impl.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md's package table says which package uses which. An arrow missing there misleads whoever changes
 * the core next, so the table is compared with the imports of the sources: every package is listed, and its
 * "uses" column names exactly the packages it imports ("all" for the component that wires everything).
 */
class ArchitectureTableTest {

    private static final Path SOURCES = Paths.get("src", "main", "java", "ai", "batch", "queue", "impl");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)` \\|.*\\| ([^|]+) \\|$", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import ai\\.batch\\.queue\\.impl\\.([a-z]+)\\.",
            Pattern.MULTILINE);

    @Test
    void theUsesColumnNamesExactlyThePackagesEachOneImports() throws IOException {
        Map<String, Set<String>> documented = documented();
        Map<String, Set<String>> imported = imported();

        assertThat(documented.keySet()).as("packages in ARCHITECTURE.md").isEqualTo(imported.keySet());
        imported.forEach((name, uses) -> {
            Set<String> said = documented.get(name);
            if (!said.equals(Set.of("all"))) {
                assertThat(said).as("what ARCHITECTURE.md says package %s uses", name).isEqualTo(uses);
            }
        });
    }

    private static Map<String, Set<String>> documented() throws IOException {
        String text = Files.readString(Paths.get("..", "..", "ARCHITECTURE.md"));
        String packages = text.substring(text.indexOf("## Packages"), text.indexOf("## Threads"));
        Map<String, Set<String>> uses = new TreeMap<>();
        Matcher row = ROW.matcher(packages);
        while (row.find()) {
            String column = row.group(2).replaceAll("\\([^)]*\\)", "").strip();
            uses.put(row.group(1), column.equals("—") ? Set.of() : Arrays.stream(column.split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new)));
        }
        return uses;
    }

    private static Map<String, Set<String>> imported() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                Set<String> used = new TreeSet<>();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        Matcher imports = IMPORT.matcher(Files.readString(file));
                        while (imports.find()) {
                            used.add(imports.group(1));
                        }
                    }
                }
                used.remove(name);
                uses.put(name, used);
            }
        }
        return uses;
    }
}

package ai.batch.queue.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Checks the built jars of the two real model bundles: they export nothing, need nothing beyond the handler SPI,
 * the framework and the JDK, and carry their models and only the linux-x64 natives.
 */
class RealModelBundlesIT {

    /** Mandatory imports: package names without attributes; optional ones are left out. */
    private static Set<String> mandatoryImports(JarFile jar) throws IOException {
        String header = jar.getManifest().getMainAttributes().getValue("Import-Package");
        Set<String> imports = new TreeSet<>();
        for (String clause : header.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            if (!clause.contains("resolution:=optional")) {
                imports.add(clause.split(";")[0].trim());
            }
        }
        return imports;
    }

    private static List<String> entries(JarFile jar, String suffix) {
        return jar.stream().map(entry -> entry.getName()).filter(name -> name.endsWith(suffix))
                .collect(Collectors.toList());
    }

    @Test
    void embeddingsBundleHoldsItsModelAndOnlyLinuxX64Natives() throws IOException {
        File file = new File(System.getProperty("bundle.embeddings"));
        try (JarFile jar = new JarFile(file)) {
            assertNull(jar.getManifest().getMainAttributes().getValue("Export-Package"));
            assertEquals(Set.of("ai.batch.queue.handler", "org.osgi.framework"), mandatoryImports(jar));
            assertEquals(List.of("all-minilm-l6-v2-q.onnx"), entries(jar, ".onnx"));
            assertEquals(List.of("all-minilm-l6-v2-q-tokenizer.json"), entries(jar, "tokenizer.json"));
            assertEquals(Set.of("ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                    "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                    "native/lib/linux-x86_64/cpu/libtokenizers.so"),
                    Set.copyOf(jar.stream().map(entry -> entry.getName())
                            .filter(name -> name.endsWith(".so") || name.endsWith(".dylib")
                                    || name.endsWith(".dll"))
                            .collect(Collectors.toList())));
            assertTrue(entries(jar, ".class").stream().noneMatch(name -> name.startsWith("dev/langchain4j/")),
                    "langchain4j itself is not embedded");
        }
        assertTrue(file.length() < 32_000_000L, "the bundle is " + file.length() + " bytes");
    }

    @Test
    void langdetectBundleHoldsOpenNlpAndItsModel() throws IOException {
        try (JarFile jar = new JarFile(new File(System.getProperty("bundle.langdetect")))) {
            assertNull(jar.getManifest().getMainAttributes().getValue("Export-Package"));
            Set<String> imports = mandatoryImports(jar);
            imports.removeIf(name -> name.startsWith("javax.xml") || name.startsWith("org.w3c.")
                    || name.startsWith("org.xml."));
            assertEquals(Set.of("ai.batch.queue.handler"), imports, "only the SPI beyond the JDK's XML packages");
            assertEquals(List.of("langdetect-183.bin"), entries(jar, ".bin"));
            assertTrue(jar.getManifest().getMainAttributes().getValue("Bundle-ClassPath")
                    .contains("lib/opennlp-tools.jar"));
        }
    }
}

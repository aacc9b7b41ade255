package ai.batch.queue.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Checks the built jars' manifests: the API exports every package it contains at its version and imports Jackson
 * only optionally, the implementation and the dashboard export nothing, and the dashboard subscribes to every topic
 * the API defines but {@code item_started}. (That every package carries its own {@code @Version}
 * is checked in the API module, on the compiled package-info classes.)
 */
class BundleManifestIT {

    private static final Pattern VERSION = Pattern.compile(";version=\"?([0-9.]+)\"?");

    private static Manifest manifest(String property) throws IOException {
        try (JarFile jar = new JarFile(System.getProperty(property))) {
            return jar.getManifest();
        }
    }

    /** A package header's clauses as package → whole clause (commas inside quotes do not split). */
    private static Map<String, String> clauses(Manifest manifest, String name) {
        Map<String, String> clauses = new TreeMap<>();
        String header = manifest.getMainAttributes().getValue(name);
        if (header == null) {
            return clauses;
        }
        for (String clause : header.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            clauses.put(clause.split(";")[0].trim(), clause);
        }
        return clauses;
    }

    /** Export-Package as package → version (null when the clause has none). */
    private static Map<String, String> exports(Manifest manifest) {
        Map<String, String> versions = new TreeMap<>();
        clauses(manifest, "Export-Package").forEach((pkg, clause) -> {
            Matcher version = VERSION.matcher(clause);
            versions.put(pkg, version.find() ? version.group(1) : null);
        });
        return versions;
    }

    private static Set<String> packagesIn(String property) throws IOException {
        Set<String> packages = new TreeSet<>();
        try (JarFile jar = new JarFile(System.getProperty(property))) {
            jar.stream().filter(e -> e.getName().endsWith(".class") && !e.getName().startsWith("META-INF"))
                    .forEach(e -> packages.add(e.getName().substring(0, e.getName().lastIndexOf('/'))
                            .replace('/', '.')));
        }
        return packages;
    }

    @Test
    void apiExportsBothPackagesAtTheirVersionsAndEveryPackageItHolds() throws IOException {
        Map<String, String> exports = exports(manifest("bundle.api"));
        assertEquals("1.3.0", exports.get("ai.batch.queue"), "1.2 plus the slot property of events");
        assertEquals("1.4.0", exports.get("ai.batch.queue.handler"), "1.3 plus slots");
        assertEquals(packagesIn("bundle.api"), exports.keySet(), "every API package is exported");
    }

    @Test
    void apiNeedsJacksonOnlyOptionally() throws IOException {
        Map<String, String> imports = clauses(manifest("bundle.api"), "Import-Package");
        String jackson = imports.get("com.fasterxml.jackson.annotation");
        assertNotNull(jackson, "the API's JSON annotations are imported: " + imports.keySet());
        assertTrue(jackson.contains("resolution:=optional"),
                "API users need not install Jackson, but the import is mandatory: " + jackson);
        imports.forEach((pkg, clause) -> assertTrue(!pkg.startsWith("com.fasterxml.jackson")
                || clause.contains("resolution:=optional"), "mandatory Jackson import: " + clause));
    }

    @Test
    void implementationExportsNothing() throws IOException {
        Manifest impl = manifest("bundle.impl");
        assertNull(impl.getMainAttributes().getValue("Export-Package"));
        assertTrue(impl.getMainAttributes().getValue("Service-Component").contains("BatchQueueComponent"));
    }

    @Test
    void dashboardExportsNothingAndTakesJavaxServletFrom31ToPaxWebs40() throws IOException {
        Manifest web = manifest("bundle.web");
        assertNull(web.getMainAttributes().getValue("Export-Package"));
        Map<String, String> imports = clauses(web, "Import-Package");
        assertTrue(imports.get("javax.servlet").contains("version=\"[3.1,5)\""), imports.get("javax.servlet"));
        assertTrue(imports.get("javax.servlet.http").contains("version=\"[3.1,5)\""), imports.get("javax.servlet.http"));
        imports.keySet().forEach(pkg -> assertTrue(!pkg.startsWith("ai.batch.queue.impl"), "uses impl internals: " + pkg));
        assertTrue(web.getMainAttributes().getValue("Require-Capability").contains("(osgi.implementation=osgi.http)"));
    }

    /**
     * The dashboard lists its topics one by one (all but item_started, and the fleet's node table): a topic added to
     * the API must be added.
     */
    @Test
    void dashboardSubscribesToEveryTopicButItemStarted() throws Exception {
        String xml;
        try (JarFile jar = new JarFile(System.getProperty("bundle.web"))) {
            xml = new String(jar.getInputStream(jar.getEntry("OSGI-INF/ai.batch.queue.web.DashboardComponent.xml"))
                    .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Matcher property = Pattern.compile("<property name=\"event.topics\" type=\"String\">([^<]*)</property>")
                .matcher(xml);
        assertTrue(property.find(), xml);
        Set<String> subscribed = new TreeSet<>();
        for (String line : property.group(1).split("\\R")) {
            if (!line.isBlank()) {
                subscribed.add(line.trim());
            }
        }
        Set<String> expected = new TreeSet<>();
        for (java.lang.reflect.Field field : ai.batch.queue.BatchEvents.class.getFields()) {
            if (field.getName().startsWith("TOPIC_")) {
                expected.add((String) field.get(null));
            }
        }
        expected.remove(ai.batch.queue.BatchEvents.TOPIC_ALL);
        expected.remove(ai.batch.queue.BatchEvents.TOPIC_ITEM_STARTED);
        expected.add("ai_batch/fleet_nodes"); // the fleet bundle's node table, for the Nodes section
        assertEquals(expected, subscribed);
    }
}

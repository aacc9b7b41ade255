package ai.batch.queue.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;

import org.ops4j.pax.exam.Option;

/**
 * The framework every test runs in: plain Apache Felix with exactly the documented runtime set (Felix SCR,
 * EventAdmin, ConfigAdmin, Metatype with Felix Log, Jackson, the OSGi util bundles SCR needs) and the bundles
 * built by this reactor, installed from their jars.
 */
public final class TestOptions {

    private TestOptions() {
    }

    public static Option[] runtime(Option... extra) {
        return framework(builtBundle("bundle.impl"), extra);
    }

    /** The runtime set and the API bundle, with the given queue bundle (the single-machine or the fleet one). */
    public static Option[] framework(Option queueBundle, Option... extra) {
        Option[] base = options(
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.log").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.eventadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject(),
                builtBundle("bundle.api"),
                queueBundle,
                junitBundles(),
                cleanCaches(),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        Option[] all = new Option[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    /** A jar built by the reactor, by the system property that holds its path. */
    public static Option builtBundle(String property) {
        return bundle(builtBundleUrl(property));
    }

    public static String builtBundleUrl(String property) {
        String path = System.getProperty(property);
        if (path == null || !new File(path).isFile()) {
            throw new IllegalStateException("System property " + property + " must name a built jar, was " + path
                    + " (run 'mvn verify' from the top directory)");
        }
        return new File(path).toURI().toString();
    }
}

package ai.batch.queue.benchmarks.felix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;

import ai.batch.queue.BatchQueue;
import ai.batch.queue.benchmarks.support.Deadline;

/**
 * Apache Felix launched in this JVM through {@link FrameworkFactory} (found with {@link ServiceLoader}), with a
 * fresh storage directory, the runtime bundles installed from {@link BundleDirectory}, and the packages listed in
 * {@link SystemPackages#SHARED} exported by the system bundle from the class path, so that code outside the
 * framework calls the {@link BatchQueue} service and registers handlers and event handlers with the same classes
 * the bundles use.
 *
 * <p>Every start checks what the numbers depend on and fails loudly otherwise: all bundles ACTIVE, the API and
 * EventAdmin packages wired to the system bundle (not to a copy inside the framework), the queue service
 * registered within a deadline.
 */
public final class EmbeddedFelix implements AutoCloseable {

    /** The queue implementation bundle. It is started last, after its configuration exists. */
    public static final String QUEUE_BUNDLE = "ai.batch.queue.impl";

    /** Felix EventAdmin's per-handler timeout in ms, read once when EventAdmin starts. 0 turns it off. */
    public static final String EVENTADMIN_TIMEOUT = "org.apache.felix.eventadmin.Timeout";

    /** The bundles the directory must provide, by symbolic name. */
    static final List<String> REQUIRED = List.of("org.apache.felix.scr", "org.osgi.service.component",
            "org.osgi.util.promise", "org.osgi.util.function", "org.apache.felix.eventadmin",
            "org.apache.felix.configadmin", "org.apache.felix.metatype", "org.apache.felix.log",
            "com.fasterxml.jackson.core.jackson-core", "com.fasterxml.jackson.core.jackson-databind", QUEUE_BUNDLE);

    /** Bundles that must not be installed: their packages come from the class path. */
    static final List<String> FORBIDDEN = List.of("ai.batch.queue.api",
            "com.fasterxml.jackson.core.jackson-annotations");

    /** The bundles the dashboard adds (case j), by symbolic name: the dashboard and Felix HTTP with its needs. */
    static final List<String> DASHBOARD = List.of("ai.batch.queue.web", "org.apache.felix.http.jetty12",
            "org.apache.felix.http.servlet-api", "org.ops4j.pax.logging.pax-logging-api",
            "org.apache.commons.commons-fileupload", "org.apache.commons.commons-io");

    private static final String QUEUE_PID = "ai.batch.queue";
    private static final String PAX_LOGGING_LEVEL = "org.ops4j.pax.logging.DefaultServiceLog.level";

    private final Framework framework;
    private final Path storage;
    private final int httpPort;
    private final Map<String, Bundle> bundles = new LinkedHashMap<>();

    private EmbeddedFelix(Framework framework, Path storage, int httpPort) {
        this.framework = framework;
        this.storage = storage;
        this.httpPort = httpPort;
    }

    /**
     * Launches the framework and starts every bundle except the queue's.
     *
     * @param eventAdminTimeoutMs the value of {@value #EVENTADMIN_TIMEOUT}
     * @return the running framework
     */
    public static EmbeddedFelix start(int eventAdminTimeoutMs) {
        return start(eventAdminTimeoutMs, false);
    }

    /**
     * Launches the framework and starts every bundle except the queue's.
     *
     * @param eventAdminTimeoutMs the value of {@value #EVENTADMIN_TIMEOUT}
     * @param dashboard whether to install the {@link #DASHBOARD} bundles too, with Felix HTTP on a free port of
     *        127.0.0.1
     * @return the running framework
     */
    public static EmbeddedFelix start(int eventAdminTimeoutMs, boolean dashboard) {
        BundleDirectory directory = BundleDirectory.locate();
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.extra(directory.classPathJars()));
        properties.put(EVENTADMIN_TIMEOUT, Integer.toString(eventAdminTimeoutMs));
        properties.put("felix.log.level", "1"); // framework errors only
        int httpPort = dashboard ? freePort() : -1;
        if (dashboard) {
            properties.put("org.osgi.service.http.port", Integer.toString(httpPort));
            properties.put("org.apache.felix.http.host", "127.0.0.1");
            // Jetty logs through pax-logging-api's console fallback, which prints DEBUG unless this system
            // property says otherwise (it reads no framework property): warnings only, as in the demo
            if (System.getProperty(PAX_LOGGING_LEVEL) == null) {
                System.setProperty(PAX_LOGGING_LEVEL, "WARN");
            }
        }
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("No OSGi FrameworkFactory on the class path"));
        Path storage;
        try {
            storage = Files.createTempDirectory("bench-felix-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        EmbeddedFelix felix = new EmbeddedFelix(factory.newFramework(properties), storage, httpPort);
        try {
            felix.framework.start();
            felix.installAndStart(dashboard ? concat(directory.bundles(), directory.dashboardBundles())
                    : directory.bundles(), directory.path(), dashboard);
            return felix;
        } catch (BundleException | RuntimeException e) {
            felix.close();
            throw new IllegalStateException("Felix did not start: " + e, e);
        }
    }

    private void installAndStart(List<Path> jars, Path directory, boolean dashboard) throws BundleException {
        BundleContext context = framework.getBundleContext();
        for (Path jar : jars) {
            Bundle bundle = context.installBundle(jar.toUri().toString());
            bundles.put(bundle.getSymbolicName(), bundle);
        }
        List<String> missing = new ArrayList<>(REQUIRED);
        if (dashboard) {
            missing.addAll(DASHBOARD);
        }
        missing.removeAll(bundles.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Bundles missing from " + directory + ": " + missing);
        }
        for (String name : FORBIDDEN) {
            if (bundles.containsKey(name)) {
                throw new IllegalStateException(name + " must not be installed: its packages come from the class "
                        + "path; remove it from " + directory);
            }
        }
        for (Bundle bundle : bundles.values()) {
            if (!QUEUE_BUNDLE.equals(bundle.getSymbolicName())) {
                bundle.start();
            }
        }
        for (Bundle bundle : bundles.values()) {
            if (!QUEUE_BUNDLE.equals(bundle.getSymbolicName())) {
                requireActive(bundle);
            }
        }
        requireFromClassPath(bundle("org.apache.felix.eventadmin"), "org.osgi.service.event");
        requireFromClassPath(bundle("com.fasterxml.jackson.core.jackson-databind"), "com.fasterxml.jackson.annotation");
    }

    /**
     * Configures PID {@code ai.batch.queue} (bound to the queue bundle), then starts the queue bundle and waits
     * for its service. The configuration exists before the component's first activation because the component
     * reads {@code persistence.*} only at activation.
     *
     * @param configuration the queue's configuration properties
     * @return the queue service, as seen from outside the framework
     */
    public BatchQueue startQueue(Map<String, ?> configuration) {
        Bundle queueBundle = bundle(QUEUE_BUNDLE);
        ConfigAdminAccess.update(framework.getBundleContext(), QUEUE_PID, queueBundle.getLocation(), configuration);
        try {
            queueBundle.start();
        } catch (BundleException e) {
            throw new IllegalStateException("The queue bundle did not start: " + e, e);
        }
        requireActive(queueBundle);
        for (String pkg : List.of("ai.batch.queue", "ai.batch.queue.handler", "org.osgi.service.event")) {
            requireFromClassPath(queueBundle, pkg);
        }
        return service(BatchQueue.class);
    }

    /**
     * @return where the dashboard's page is, {@code http://127.0.0.1:<port>/batch}
     * @throws IllegalStateException if the framework was started without the dashboard
     */
    public URI dashboardUri() {
        if (httpPort < 0) {
            throw new IllegalStateException("This framework was started without the dashboard");
        }
        return URI.create("http://127.0.0.1:" + httpPort + "/batch");
    }

    /**
     * Waits for a service.
     *
     * @param <T> the service type
     * @param type the service interface, loaded from the class path
     * @return the service object
     */
    public <T> T service(Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(framework.getBundleContext(), type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(Deadline.STARTUP.toMillis());
            if (service == null) {
                throw new IllegalStateException("No " + type.getName() + " service within " + Deadline.STARTUP
                        + "; bundles: " + states());
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + type.getName(), e);
        } finally {
            tracker.close(); // the object stays usable; the framework lives until close()
        }
    }

    /**
     * Registers a service from outside the framework.
     *
     * @param <T> the service type
     * @param type the service interface
     * @param service the object
     * @param properties service properties
     * @return the registration
     */
    public <T> ServiceRegistration<T> register(Class<T> type, T service, Map<String, ?> properties) {
        return framework.getBundleContext().registerService(type, service, new Hashtable<>(properties));
    }

    /**
     * @param symbolicName a bundle's symbolic name
     * @return the installed bundle
     */
    public Bundle bundle(String symbolicName) {
        Bundle bundle = bundles.get(symbolicName);
        if (bundle == null) {
            throw new IllegalStateException("Bundle " + symbolicName + " is not installed");
        }
        return bundle;
    }

    /** @return every installed bundle's symbolic name and state, for messages */
    public String states() {
        StringBuilder text = new StringBuilder();
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            text.append(text.length() == 0 ? "" : ", ").append(bundle.getSymbolicName()).append('=')
                    .append(stateName(bundle.getState()));
        }
        return text.toString();
    }

    private void requireActive(Bundle bundle) {
        if (bundle.getState() != Bundle.ACTIVE) {
            throw new IllegalStateException(bundle.getSymbolicName() + " is " + stateName(bundle.getState())
                    + ", not ACTIVE; bundles: " + states());
        }
    }

    /** Fails unless the bundle imports the package from the system bundle, i.e. from the class path. */
    private static void requireFromClassPath(Bundle bundle, String pkg) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        for (BundleWire wire : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (pkg.equals(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                Bundle provider = wire.getProvider().getBundle();
                if (provider.getBundleId() != 0) {
                    throw new IllegalStateException(bundle.getSymbolicName() + " imports " + pkg + " from "
                            + provider.getSymbolicName() + ", not from the class path: objects would not be shared");
                }
                return;
            }
        }
        throw new IllegalStateException(bundle.getSymbolicName() + " does not import " + pkg
                + " (it may use a private copy)");
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }

    private static List<Path> concat(List<Path> first, List<Path> second) {
        List<Path> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the dashboard", e);
        }
    }

    /** Stops the framework, waits for it, and deletes its storage. */
    @Override
    public void close() {
        try {
            framework.stop();
            framework.waitForStop(Deadline.STARTUP.toMillis());
        } catch (BundleException e) {
            throw new IllegalStateException("Felix did not stop: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(storage);
        }
    }

    /**
     * Deletes a directory and everything in it.
     *
     * @param root the directory; nothing happens if it does not exist
     */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }
}

package example.demo;

import java.io.IOException;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The dashboard bundle as the demo sees it: where it is served (the HTTP runtime's endpoint plus the dashboard
 * servlet's path, read from service properties, so the demo needs no HTTP or servlet classes), or switching it
 * and the HTTP server off for {@code --no-web}, and allowing actions for {@code --web-actions}.
 */
final class Dashboard {

    static final String WEB_BUNDLE = "ai.batch.queue.web";
    static final String HTTP_BUNDLE = "org.apache.felix.http.jetty12";
    static final String WEB_PID = "ai.batch.queue.web";
    private static final long CONFIG_ADMIN_WAIT_MS = 2_000;

    private final BundleContext context;

    Dashboard(BundleContext context) {
        this.context = context;
    }

    /**
     * @param actions whether to wait for the dashboard with actions enabled or the read-only one
     * @param timeoutMs how long to wait for the HTTP runtime and the dashboard servlet
     * @return the dashboard's URL, or empty when it is not served
     */
    Optional<String> url(boolean actions, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Optional<ServiceReference<?>> runtime = await("(objectClass=org.osgi.service.http.runtime.HttpServiceRuntime)",
                deadline);
        Optional<ServiceReference<?>> servlet = await("(&(osgi.http.whiteboard.servlet.name=ai.batch.queue.web.dashboard)"
                + "(ai.batch.queue.web.actionsEnabled=" + actions + "))", deadline);
        if (runtime.isEmpty() || servlet.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> endpoint = first(runtime.get().getProperty("osgi.http.endpoint"));
        Optional<String> path = first(servlet.get().getProperty("osgi.http.whiteboard.servlet.pattern"));
        if (endpoint.isEmpty() || path.isEmpty()) {
            return Optional.empty();
        }
        String root = endpoint.get().endsWith("/") ? endpoint.get().substring(0, endpoint.get().length() - 1)
                : endpoint.get();
        return Optional.of(root + path.get());
    }

    /**
     * Sets {@code actions.enabled} of the dashboard's configuration (PID {@code ai.batch.queue.web}), so that every
     * run starts from what its flags say, whatever an earlier run left in the framework's storage.
     */
    void allowActions(boolean actions) {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker = new ServiceTracker<>(context,
                ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin configAdmin = tracker.waitForService(CONFIG_ADMIN_WAIT_MS);
            if (configAdmin == null) {
                System.err.println("No ConfigurationAdmin: the dashboard keeps its configuration");
                return;
            }
            Configuration configuration = configAdmin.getConfiguration(WEB_PID, "?");
            Dictionary<String, Object> properties = configuration.getProperties() != null
                    ? configuration.getProperties() : new Hashtable<>();
            if (!Boolean.valueOf(actions).equals(properties.get("actions.enabled"))) {
                properties.put("actions.enabled", actions);
                configuration.update(properties);
            }
        } catch (IOException e) {
            System.err.println("Could not configure the dashboard: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tracker.close();
        }
    }

    /** Stops the dashboard and the HTTP server for this run (the next start starts them again). */
    void switchOff() {
        for (String name : new String[] {WEB_BUNDLE, HTTP_BUNDLE}) {
            for (Bundle bundle : context.getBundles()) {
                if (name.equals(bundle.getSymbolicName())) {
                    try {
                        bundle.stop(Bundle.STOP_TRANSIENT);
                    } catch (BundleException e) {
                        System.err.println("Could not stop " + name + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    private Optional<ServiceReference<?>> await(String filter, long deadline) {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
        tracker.open(true);
        try {
            long left = deadline - System.currentTimeMillis();
            if (tracker.getServiceReference() == null && left > 0) {
                tracker.waitForService(left);
            }
            return Optional.ofNullable(tracker.getServiceReference());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            tracker.close();
        }
    }

    private static Optional<String> first(Object value) {
        if (value instanceof String text) {
            return Optional.of(text);
        }
        if (value instanceof String[] texts && texts.length > 0) {
            return Optional.of(texts[0]);
        }
        if (value instanceof Collection<?> values && !values.isEmpty()) {
            return Optional.of(String.valueOf(values.iterator().next()));
        }
        return Optional.empty();
    }
}

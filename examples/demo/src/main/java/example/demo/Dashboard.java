package example.demo;

import java.util.Collection;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The dashboard bundle as the demo sees it: where it is served (the HTTP runtime's endpoint plus the dashboard
 * servlet's path, read from service properties, so the demo needs no HTTP or servlet classes), or switching it
 * and the HTTP server off for {@code --no-web}.
 */
final class Dashboard {

    static final String WEB_BUNDLE = "ai.batch.queue.web";
    static final String HTTP_BUNDLE = "org.apache.felix.http.jetty12";

    private final BundleContext context;

    Dashboard(BundleContext context) {
        this.context = context;
    }

    /**
     * @param timeoutMs how long to wait for the HTTP runtime and the dashboard servlet
     * @return the dashboard's URL, or empty when it is not served
     */
    Optional<String> url(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Optional<ServiceReference<?>> runtime = await("(objectClass=org.osgi.service.http.runtime.HttpServiceRuntime)",
                deadline);
        Optional<ServiceReference<?>> servlet = await(
                "(osgi.http.whiteboard.servlet.name=ai.batch.queue.web.dashboard)", deadline);
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

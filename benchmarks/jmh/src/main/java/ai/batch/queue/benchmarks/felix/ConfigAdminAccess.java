package ai.batch.queue.benchmarks.felix;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Writes a configuration through the framework's ConfigurationAdmin from outside the framework.
 *
 * <p>The ConfigurationAdmin API ({@code org.osgi.service.cm}) is deliberately not shared through the class path:
 * the Felix ConfigAdmin bundle keeps using its own copy, exactly as in a real deployment. The two calls needed
 * here go through reflection on the interface as the ConfigAdmin bundle itself sees it.
 */
final class ConfigAdminAccess {

    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";

    private ConfigAdminAccess() {
    }

    /**
     * Creates or replaces the configuration of a PID, bound to one bundle location.
     *
     * @param context the system bundle's context
     * @param pid the configuration PID
     * @param location the location of the bundle that may use it
     * @param properties the properties (Strings, Booleans, Integers, Longs…)
     */
    static void update(BundleContext context, String pid, String location, Map<String, ?> properties) {
        ServiceReference<?> reference = context.getServiceReference(CONFIGURATION_ADMIN);
        if (reference == null) {
            throw new IllegalStateException("No ConfigurationAdmin service: is org.apache.felix.configadmin ACTIVE?");
        }
        Object admin = context.getService(reference);
        try {
            Bundle provider = reference.getBundle();
            Method getConfiguration = provider.loadClass(CONFIGURATION_ADMIN)
                    .getMethod("getConfiguration", String.class, String.class);
            Object configuration = getConfiguration.invoke(admin, pid, location);
            Method update = provider.loadClass(CONFIGURATION).getMethod("update", Dictionary.class);
            update.invoke(configuration, new Hashtable<String, Object>(properties));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("ConfigurationAdmin refused " + pid + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot call ConfigurationAdmin", e);
        } finally {
            context.ungetService(reference);
        }
    }
}

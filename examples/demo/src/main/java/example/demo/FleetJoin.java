package example.demo;

import java.net.InetAddress;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

import ai.batch.queue.BatchQueue;

/**
 * Makes this framework a node of a fleet: writes the fleet bundle's configuration ({@code ai.batch.queue.fleet})
 * and waits for the fleet's {@link BatchQueue} of this node. The demo's nodes beat every 250 ms and count as dead
 * after 2 s without a beat, so a killed node's work moves on quickly.
 */
final class FleetJoin {

    private FleetJoin() {
    }

    /** The fleet bundle's warnings (a node declared dead, the database away, …) go to standard error. */
    private static void showWarnings(BundleContext context) {
        ServiceReference<LogReaderService> reference = context.getServiceReference(LogReaderService.class);
        LogReaderService reader = reference == null ? null : context.getService(reference);
        if (reader != null) {
            reader.addLogListener(entry -> {
                if (LogLevel.WARN.implies(entry.getLogLevel())
                        && "ai.batch.queue.fleet".equals(entry.getBundle().getSymbolicName())) {
                    System.err.println("fleet: " + entry.getMessage());
                }
            });
        }
    }

    /** @return the node's id, the host name when none is given */
    static String nodeId(String given) throws java.net.UnknownHostException {
        return given != null && !given.isBlank() ? given : InetAddress.getLocalHost().getHostName();
    }

    static BatchQueue join(BundleContext context, String url, String nodeId, long waitMs) throws Exception {
        showWarnings(context);
        ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
        if (reference == null) {
            throw new IllegalStateException("No ConfigurationAdmin service to configure fleet mode with");
        }
        ConfigurationAdmin configAdmin = context.getService(reference);
        try {
            Configuration configuration = configAdmin.getConfiguration("ai.batch.queue.fleet", "?");
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("url", url);
            properties.put("node.id", nodeId);
            properties.put("heartbeat.ms", 250L);
            properties.put("deadAfter.ms", 2_000L);
            configuration.update(properties);
        } finally {
            context.ungetService(reference);
        }
        ServiceTracker<BatchQueue, BatchQueue> tracker = new ServiceTracker<>(context, context.createFilter("(&("
                + Constants.OBJECTCLASS + "=" + BatchQueue.class.getName() + ")(ai.batch.fleet.node=" + nodeId + "))"),
                null);
        tracker.open();
        BatchQueue queue = tracker.waitForService(waitMs);
        if (queue == null) {
            tracker.close();
            throw new IllegalStateException("This node did not join the fleet at " + url + " within " + waitMs + " ms");
        }
        return queue;
    }
}

package ai.batch.queue.itests;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import ai.batch.queue.handler.BatchItemHandler;

/** Registers handlers as a plugin bundle would, and unregisters them all on {@link #close()}. */
public final class Handlers implements AutoCloseable {

    private final BundleContext context;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<ScriptedHandler> handlers = new ArrayList<>();

    public Handlers(BundleContext context) {
        this.context = context;
    }

    /** Registers a scripted handler for the given {@code ai.batch.resource} value (String or String[]). */
    public Registered register(String name, Object resource, Integer ranking) {
        ScriptedHandler handler = new ScriptedHandler(name);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(BatchItemHandler.RESOURCE, resource);
        if (ranking != null) {
            props.put(Constants.SERVICE_RANKING, ranking);
        }
        ServiceRegistration<?> registration = context.registerService(BatchItemHandler.class, handler, props);
        registrations.add(registration);
        handlers.add(handler);
        return new Registered(handler, registration);
    }

    public Registered register(String name, Object resource) {
        return register(name, resource, null);
    }

    /** A registered handler and its registration. */
    public record Registered(ScriptedHandler handler, ServiceRegistration<?> registration) {
        public void unregister() {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered by the test already
            }
        }
    }

    @Override
    public void close() {
        handlers.forEach(ScriptedHandler::release);
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered by the test already
            }
        }
    }
}

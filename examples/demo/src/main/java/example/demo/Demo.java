package example.demo;

import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ModelLifecycle;
import example.demo.models.SimulatedGpu;

/**
 * Runs the demo when the bundle is started by the demo launcher (which publishes the command line as the
 * {@code launcher.arguments} service property): registers {@link DemoMain} as the launcher's main-thread
 * {@code Callable}. In any other container the bundle only contributes the simulated models.
 */
@Component(immediate = true)
public final class Demo {

    /** What the demo and the examples need from the framework. */
    interface Hooks {
        Subscription subscribe(EventHandler handler);

        /** @return whether a handler for the model is registered */
        boolean hasHandler(String resourceKey);

        void openShell() throws Exception;

        Dashboard dashboard();

        /** Makes the framework storage (journal, configuration) readable by its owner only. */
        void protectStorage();

        /**
         * Loads a model through its {@link ModelLifecycle} service and times that call.
         *
         * @return how long {@code load} took, in milliseconds; empty when no lifecycle serves the model
         * @throws Exception what {@code load} threw
         */
        OptionalLong loadModel(String resourceKey) throws Exception;

        /** Registers a handler service with the given properties, until the subscription is closed. */
        Subscription registerHandler(BatchItemHandler<?> handler, Map<String, Object> properties);

        /** @return the demo's speed (2 runs everything twice as fast) */
        double speed();

        /** Joins the fleet on this database as this node ({@link FleetJoin}); returns the fleet's queue. */
        BatchQueue joinFleet(String url, String nodeId) throws Exception;
    }

    /** An event subscription, ended by {@link #close()}. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final BundleContext context;
    private final ServiceTracker<Object, ServiceRegistration<?>> launcher;

    @Activate
    public Demo(BundleContext context, @Reference(name = "queue") BatchQueue queue,
            @Reference(name = "gpu") SimulatedGpu gpu) throws InvalidSyntaxException {
        this.context = context;
        Hooks hooks = new Hooks() {
            @Override
            public Subscription subscribe(EventHandler handler) {
                Dictionary<String, Object> props = new Hashtable<>();
                props.put(EventConstants.EVENT_TOPIC, BatchEvents.TOPIC_ALL);
                ServiceRegistration<EventHandler> registration = context.registerService(EventHandler.class,
                        handler, props);
                return registration::unregister;
            }

            @Override
            public boolean hasHandler(String resourceKey) {
                try {
                    return !context.getServiceReferences(BatchItemHandler.class,
                            "(" + BatchItemHandler.RESOURCE + "=" + resourceKey + ")").isEmpty();
                } catch (InvalidSyntaxException e) {
                    throw new IllegalArgumentException("Not a usable resource key: " + resourceKey, e);
                }
            }

            @Override
            public void openShell() throws Exception {
                GogoShell.open(context);
            }

            @Override
            public Dashboard dashboard() {
                return new Dashboard(context);
            }

            @Override
            public void protectStorage() {
                OwnerOnly.protect(context);
            }

            @Override
            public OptionalLong loadModel(String resourceKey) throws Exception {
                Collection<ServiceReference<ModelLifecycle>> references = context.getServiceReferences(
                        ModelLifecycle.class, "(" + BatchItemHandler.RESOURCE + "=" + resourceKey + ")");
                if (references.isEmpty()) {
                    return OptionalLong.empty();
                }
                ServiceReference<ModelLifecycle> reference = references.iterator().next();
                ModelLifecycle lifecycle = context.getService(reference);
                if (lifecycle == null) {
                    return OptionalLong.empty();
                }
                try {
                    long start = System.nanoTime();
                    lifecycle.load(resourceKey);
                    return OptionalLong.of(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                } finally {
                    context.ungetService(reference);
                }
            }

            @Override
            public Subscription registerHandler(BatchItemHandler<?> handler, Map<String, Object> properties) {
                ServiceRegistration<?> registration = context.registerService(BatchItemHandler.class.getName(),
                        handler, new Hashtable<>(properties));
                return () -> unregister(registration);
            }

            @Override
            public double speed() {
                return gpu.speed();
            }

            @Override
            public BatchQueue joinFleet(String url, String nodeId) throws Exception {
                return FleetJoin.join(context, url, nodeId, 60_000);
            }
        };
        Filter filter = context.createFilter("(launcher.arguments=*)");
        launcher = new ServiceTracker<>(context, filter, null) {
            @Override
            public ServiceRegistration<?> addingService(ServiceReference<Object> reference) {
                String[] args = (String[]) reference.getProperty("launcher.arguments");
                Dictionary<String, Object> props = new Hashtable<>();
                props.put("main.thread", Boolean.TRUE);
                return context.registerService(Callable.class.getName(), new DemoMain(queue, gpu, hooks, args),
                        props);
            }

            @Override
            public void removedService(ServiceReference<Object> reference, ServiceRegistration<?> registration) {
                unregister(registration);
            }
        };
        launcher.open();
    }

    @Deactivate
    void deactivate() {
        launcher.close();
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }
}

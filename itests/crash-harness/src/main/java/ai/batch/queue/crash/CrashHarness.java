package ai.batch.queue.crash;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Callable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Starts a life of the crash test when the bundle runs under the bnd launcher, which publishes the command line
 * as the {@code launcher.arguments} service property: registers a {@link CrashRun} as the launcher's
 * main-thread {@code Callable}, whose return value becomes the process's exit code. Elsewhere it does nothing.
 */
@Component(immediate = true)
public final class CrashHarness implements ServiceTrackerCustomizer<Object, ServiceRegistration<?>> {

    private final BundleContext context;
    private final ServiceTracker<Object, ServiceRegistration<?>> launcher;

    @Activate
    public CrashHarness(BundleContext context) throws InvalidSyntaxException {
        this.context = context;
        this.launcher = new ServiceTracker<>(context, context.createFilter("(launcher.arguments=*)"), this);
        launcher.open();
    }

    @Deactivate
    void deactivate() {
        launcher.close();
    }

    @Override
    public ServiceRegistration<?> addingService(ServiceReference<Object> reference) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("main.thread", Boolean.TRUE);
        return context.registerService(Callable.class.getName(), new CrashRun(context), props);
    }

    @Override
    public void modifiedService(ServiceReference<Object> reference, ServiceRegistration<?> registration) {
        // the command line does not change
    }

    @Override
    public void removedService(ServiceReference<Object> reference, ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }
}

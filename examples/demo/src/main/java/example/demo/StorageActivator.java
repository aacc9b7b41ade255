package example.demo;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Closes the framework storage to other users as soon as the demo bundle starts: the launcher starts it before
 * Declarative Services, so before the queue writes its journal or Configuration Admin a configuration.
 */
public final class StorageActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        OwnerOnly.protect(context);
    }

    @Override
    public void stop(BundleContext context) {
        // nothing to undo
    }
}

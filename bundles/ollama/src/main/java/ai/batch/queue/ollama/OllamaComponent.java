package ai.batch.queue.ollama;

import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ModelLifecycle;

/**
 * One {@link OllamaHandler} per configuration of factory PID {@code ai.batch.queue.ollama}, registered as
 * {@link BatchItemHandler} and {@link ModelLifecycle} with the configuration's public properties, as Declarative
 * Services would. It registers them itself, and only once the configuration has passed its checks: a component
 * that named its services would have them registered before it is made, with every configured property, so a
 * refused configuration (a {@code baseUrl} with a password) would still show as a service and its properties.
 */
@Component(name = OllamaConfig.PID, configurationPid = OllamaConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = OllamaConfig.class, factory = true)
public final class OllamaComponent {

    private final OllamaHandler handler;
    private final ServiceRegistration<?> registration;

    @Activate
    public OllamaComponent(BundleContext context, OllamaConfig config, Map<String, Object> properties,
            @Reference(name = "logger", service = LoggerFactory.class) Logger logger) {
        this.handler = new OllamaHandler(config, properties, logger); // throws, naming the key, for a bad value
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(".") && value != null) { // private properties stay private, as in DS
                serviceProperties.put(key, value);
            }
        });
        this.registration = context.registerService(new String[] { BatchItemHandler.class.getName(),
                ModelLifecycle.class.getName() }, handler, serviceProperties);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // the bundle is stopping: the framework unregistered it already
        }
        handler.deactivate();
    }
}

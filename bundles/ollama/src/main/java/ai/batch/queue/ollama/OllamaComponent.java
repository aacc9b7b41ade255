package ai.batch.queue.ollama;

import java.util.Map;
import java.util.Optional;

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
import ai.batch.queue.runtime.kit.ServiceProperties;
import ai.batch.queue.runtime.kit.SlotClaims;

/**
 * One {@link OllamaHandler} per configuration of factory PID {@code ai.batch.queue.ollama}, registered as
 * {@link BatchItemHandler} and {@link ModelLifecycle} with the configuration's public properties, as Declarative
 * Services would. It registers them itself, and only once the configuration has passed its checks: a component
 * that named its services would have them registered before it is made, with every configured property, so a
 * refused configuration (a {@code baseUrl} with a password) would still show as a service and its properties.
 *
 * <p>Both services carry the configuration's slot ({@code ai.batch.slot}), so the queue shares each model's work
 * among the servers that run it and knows which models each holds; a slot name that another configuration of this
 * bundle gives to another server is logged as a warning.
 */
@Component(name = OllamaConfig.PID, configurationPid = OllamaConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = OllamaConfig.class, factory = true)
public final class OllamaComponent {

    /** The slots of this bundle's configurations. */
    private static final SlotClaims SLOTS = new SlotClaims();

    private final OllamaHandler handler;
    private final ServiceRegistration<?> registration;
    private final Optional<String> slot;
    private final String owner;

    @Activate
    public OllamaComponent(BundleContext context, OllamaConfig config, Map<String, Object> properties,
            @Reference(name = "logger", service = LoggerFactory.class) Logger logger) {
        this.handler = new OllamaHandler(config, properties, logger); // throws, naming the key, for a bad value
        OllamaSettings settings = handler.settings();
        this.slot = settings.slot();
        this.owner = SlotClaims.owner(properties);
        this.registration = context.registerService(new String[] { BatchItemHandler.class.getName(),
                ModelLifecycle.class.getName() }, handler, ServiceProperties.of(properties, slot));
        slot.flatMap(name -> SLOTS.claim(name, settings.baseUri(), owner)).ifPresent(logger::warn);
    }

    @Deactivate
    void deactivate() {
        slot.ifPresent(name -> SLOTS.release(name, owner));
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // the bundle is stopping: the framework unregistered it already
        }
        handler.deactivate();
    }
}

package ai.batch.queue.openai;

import java.util.Hashtable;
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
 * One {@link OpenAiHandler} per configuration of factory PID {@value OpenAiConfig#PID}, registered as
 * {@link BatchItemHandler} (and as {@link OpenAiHandler}, for the batch file commands) with the configuration's
 * public properties, as Declarative Services would, and with its slot ({@code ai.batch.slot}), which a component
 * that named its services could not add: their properties are the configuration's alone, fixed before the
 * component is made. Registering them itself also means a refused configuration shows as no service at all.
 *
 * <p>A router's model lifecycle, registered later by the handler's probe, carries the same slot. A slot name that
 * another configuration of this bundle gives to another server is logged as a warning.
 */
@Component(name = OpenAiConfig.PID, configurationPid = OpenAiConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = OpenAiConfig.class, factory = true)
public final class OpenAiComponent {

    /** The slots of this bundle's configurations. */
    private static final SlotClaims SLOTS = new SlotClaims();

    private final OpenAiHandler handler;
    private final ServiceRegistration<?> registration;
    private final Optional<String> slot;
    private final String owner;

    @Activate
    public OpenAiComponent(BundleContext context, OpenAiConfig config, Map<String, Object> properties,
            @Reference(name = "logger", service = LoggerFactory.class) Logger logger) {
        OpenAiSettings settings = OpenAiSettings.from(config); // throws, naming the key, for a bad value
        this.handler = new OpenAiHandler(settings, logger, (lifecycle, lifecycleProperties) -> {
            ServiceRegistration<ModelLifecycle> registered = context.registerService(ModelLifecycle.class,
                    lifecycle, new Hashtable<>(lifecycleProperties));
            return () -> unregister(registered);
        });
        this.slot = settings.slot();
        this.owner = SlotClaims.owner(properties);
        try {
            this.registration = context.registerService(new String[] {BatchItemHandler.class.getName(),
                    OpenAiHandler.class.getName()}, handler, ServiceProperties.of(properties, slot));
        } catch (RuntimeException e) {
            handler.deactivate(); // the probe would otherwise go on, and might register a lifecycle
            throw e;
        }
        slot.flatMap(name -> SLOTS.claim(name, settings.baseUrl(), owner)).ifPresent(logger::warn);
    }

    @Deactivate
    void deactivate() {
        slot.ifPresent(name -> SLOTS.release(name, owner));
        unregister(registration);
        handler.deactivate();
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
    }
}

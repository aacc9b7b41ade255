package ai.batch.queue.runtime.kit;

import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import ai.batch.queue.handler.BatchItemHandler;

/**
 * The properties a model-server bundle registers its handler and lifecycle services with, once their
 * configuration has passed its checks: the configuration's properties, as Declarative Services copies them to a
 * component's services (private ones, whose key starts with a dot, stay private), with {@code ai.batch.slot}
 * the slot the configuration declares, derived when it configures none and absent when it opts out.
 */
public final class ServiceProperties {

    private ServiceProperties() {
    }

    /**
     * @param configuration the configuration's properties
     * @param slot the slot it declares ({@link SlotNames#resolve}), or empty
     * @return the service properties, ready for {@code BundleContext.registerService}
     */
    public static Hashtable<String, Object> of(Map<String, ?> configuration, Optional<String> slot) {
        Hashtable<String, Object> properties = new Hashtable<>();
        configuration.forEach((key, value) -> {
            if (!key.startsWith(".") && value != null) {
                properties.put(key, value);
            }
        });
        properties.remove(BatchItemHandler.SLOT); // "none" or blank declares nothing; a name comes back resolved
        slot.ifPresent(name -> properties.put(BatchItemHandler.SLOT, name));
        return properties;
    }
}

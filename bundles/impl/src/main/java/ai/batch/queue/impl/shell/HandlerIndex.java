package ai.batch.queue.impl.shell;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ai.batch.queue.handler.BatchItemHandler;

/**
 * Which models the registered handlers serve, from their {@value BatchItemHandler#RESOURCE} property, so that a
 * command can say when a job will wait for a handler. Kept per service (its id), updated by DS on any thread.
 */
final class HandlerIndex {

    private final Map<Object, Set<String>> served = new ConcurrentHashMap<>();

    /** A handler service came or changed. */
    void put(Object serviceId, Object resourceProperty) {
        served.put(serviceId, keys(resourceProperty));
    }

    /** A handler service went. */
    void remove(Object serviceId) {
        served.remove(serviceId);
    }

    /** @return whether some handler serves the model, by name or as {@code "*"} */
    boolean serves(String resourceKey) {
        for (Set<String> keys : served.values()) {
            if (keys.contains(resourceKey) || keys.contains(BatchItemHandler.ANY_RESOURCE)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> keys(Object property) {
        if (property instanceof String key) {
            return Set.of(key);
        }
        if (property instanceof String[] keys) {
            return Set.copyOf(java.util.Arrays.stream(keys).filter(java.util.Objects::nonNull).toList());
        }
        if (property instanceof java.util.Collection<?> keys) {
            return Set.copyOf(keys.stream().filter(String.class::isInstance).map(String.class::cast).toList());
        }
        return Set.of();
    }
}

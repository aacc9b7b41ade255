package ai.batch.queue.impl.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ModelLifecycle;
import ai.batch.queue.impl.handlers.HandlerRegistration;

/**
 * The whiteboard of {@link ModelLifecycle} services, chosen for a model as handlers are: one naming the model
 * exactly beats a {@code "*"} one; then higher {@code service.ranking}, then lower {@code service.id}. Every
 * change swaps in a new immutable list, so lookups take no lock.
 */
public final class LifecycleRegistry {

    /**
     * One registered lifecycle service.
     *
     * @param lifecycle the service
     * @param resources the models it names ({@code "*"}: any)
     * @param ranking its {@code service.ranking}
     * @param serviceId its {@code service.id}
     * @param slot the runtime's slot ({@code ai.batch.slot}), or {@code null} when it declares none
     */
    public record Registration(ModelLifecycle lifecycle, Set<String> resources, int ranking, long serviceId,
            String slot) {

        boolean serves(String resourceKey) {
            return resources.contains(resourceKey) || resources.contains(BatchItemHandler.ANY_RESOURCE);
        }

        /** @return a name for logs */
        String name() {
            return lifecycle.getClass().getName() + " (service " + serviceId + ")";
        }
    }

    private static final Comparator<Registration> PREFERENCE = Comparator
            .comparingInt(Registration::ranking).reversed().thenComparingLong(Registration::serviceId);

    private final Object writeLock = new Object();
    private volatile List<Registration> registrations = List.of();

    /** Adds or replaces (same service id) a lifecycle service with its service properties. */
    public void put(ModelLifecycle lifecycle, Map<String, ?> properties) {
        HandlerRegistration parsed = HandlerRegistration.of(null, properties);
        Registration registration = new Registration(lifecycle, parsed.resources(), parsed.ranking(),
                parsed.serviceId(), parsed.slot());
        synchronized (writeLock) {
            List<Registration> next = without(registration.serviceId());
            next.add(registration);
            next.sort(PREFERENCE);
            registrations = List.copyOf(next);
        }
    }

    /** Removes the lifecycle service with this service id, if any. */
    public void remove(long serviceId) {
        synchronized (writeLock) {
            registrations = List.copyOf(without(serviceId));
        }
    }

    private List<Registration> without(long serviceId) {
        List<Registration> next = new ArrayList<>(registrations);
        next.removeIf(existing -> existing.serviceId() == serviceId);
        return next;
    }

    /** @return the lifecycle service for a model, or empty */
    public Optional<Registration> select(String resourceKey) {
        return select(resourceKey, registration -> true);
    }

    /** @return among {@code candidates}, the one naming the model, else one serving any, in order of preference */
    private Optional<Registration> select(String resourceKey, java.util.function.Predicate<Registration> candidates) {
        Registration wildcard = null;
        for (Registration registration : registrations) {
            if (!candidates.test(registration)) {
                continue;
            }
            if (registration.resources().contains(resourceKey)) {
                return Optional.of(registration);
            }
            if (wildcard == null && registration.serves(resourceKey)) {
                wildcard = registration;
            }
        }
        return Optional.ofNullable(wildcard);
    }

    /**
     * The lifecycle service to load a model into, next to a running job: among the runtimes of the slots running
     * that job, one that serves the model (by name first, in order of preference), else {@link #select}.
     *
     * @param resourceKey the model
     * @param runningOn the slots running the job the load is to overlap; empty outside slots
     * @return the lifecycle service, or empty
     */
    public Optional<Registration> selectBeside(String resourceKey, java.util.Set<String> runningOn) {
        return select(resourceKey, registration -> registration.slot() != null
                && runningOn.contains(registration.slot())).or(() -> select(resourceKey));
    }

    /** @return every registered lifecycle service, most preferred first */
    public List<Registration> all() {
        return registrations;
    }
}

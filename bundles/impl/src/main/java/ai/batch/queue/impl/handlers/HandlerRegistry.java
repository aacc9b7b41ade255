package ai.batch.queue.impl.handlers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The whiteboard of handler services. Every change builds a new immutable, sorted list that is swapped in, so
 * lookups take no lock. Listeners hear about every change, after the swap.
 */
public final class HandlerRegistry {

    private final Object writeLock = new Object();
    private volatile List<HandlerRegistration> registrations = List.of();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

    public void addChangeListener(Runnable listener) {
        changeListeners.add(listener);
    }

    /** Adds or replaces (same service id) a registration. */
    public void put(HandlerRegistration registration) {
        synchronized (writeLock) {
            List<HandlerRegistration> next = without(registration.serviceId());
            next.add(registration);
            next.sort(HandlerRegistration.PREFERENCE);
            registrations = List.copyOf(next);
        }
        changeListeners.forEach(Runnable::run);
    }

    /** Removes the registration with this service id, if any. */
    public void remove(long serviceId) {
        synchronized (writeLock) {
            registrations = List.copyOf(without(serviceId));
        }
        changeListeners.forEach(Runnable::run);
    }

    private List<HandlerRegistration> without(long serviceId) {
        List<HandlerRegistration> next = new ArrayList<>(registrations.size() + 1);
        for (HandlerRegistration existing : registrations) {
            if (existing.serviceId() != serviceId) {
                next.add(existing);
            }
        }
        return next;
    }

    /**
     * The handler for a model: one that names it exactly beats a {@code "*"} handler; then higher
     * {@code service.ranking}, then lower {@code service.id}.
     *
     * @param resourceKey the model
     * @return the chosen registration, or empty when none serves the model
     */
    public Optional<HandlerRegistration> select(String resourceKey) {
        return select(resourceKey, registration -> true);
    }

    /** @return among {@code candidates}, one naming the model, else one serving any, in order of preference */
    private Optional<HandlerRegistration> select(String resourceKey,
            java.util.function.Predicate<HandlerRegistration> candidates) {
        HandlerRegistration wildcard = null;
        for (HandlerRegistration registration : registrations) {
            if (!candidates.test(registration)) {
                continue;
            }
            if (registration.servesExactly(resourceKey)) {
                return Optional.of(registration);
            }
            if (wildcard == null && registration.servesAny()) {
                wildcard = registration;
            }
        }
        return Optional.ofNullable(wildcard);
    }

    /** @return whether some handler serves the model */
    public boolean serves(String resourceKey) {
        return select(resourceKey).isPresent();
    }

    /** @return whether the model's preferred handler (see {@link #select}) is a plain one, not a slot */
    public boolean servesPlain(String resourceKey) {
        return select(resourceKey).map(r -> !r.isSlot()).orElse(false);
    }

    /** @return whether the model's preferred handler (see {@link #select}) is a slot: every slot serving it shares it */
    public boolean servesBySlots(String resourceKey) {
        return select(resourceKey).map(HandlerRegistration::isSlot).orElse(false);
    }

    /**
     * @return how many slots share the model's jobs: the distinct slots serving it when its preferred handler is a
     *         slot, else 1
     */
    public int slotsServing(String resourceKey) {
        if (!servesBySlots(resourceKey)) {
            return 1;
        }
        java.util.Set<String> slots = new java.util.HashSet<>();
        for (HandlerRegistration registration : registrations) {
            if (registration.isSlot() && registration.serves(resourceKey)) {
                slots.add(registration.slot());
            }
        }
        return Math.max(1, slots.size());
    }

    /**
     * The handler a slot uses for a model: among the slot's registrations, one that names the model exactly, else
     * one serving any, in order of preference.
     *
     * @param slot the slot's name
     * @param resourceKey the model
     * @return the registration, or empty when the slot cannot run the model (or is gone)
     */
    public Optional<HandlerRegistration> selectOnSlot(String slot, String resourceKey) {
        return select(resourceKey, registration -> slot.equals(registration.slot()));
    }


    /** @return whether this exact registration (by service id) is still registered */
    public boolean contains(long serviceId) {
        for (HandlerRegistration registration : registrations) {
            if (registration.serviceId() == serviceId) {
                return true;
            }
        }
        return false;
    }

    /** @return the current registrations, most preferred first */
    public List<HandlerRegistration> all() {
        return registrations;
    }
}

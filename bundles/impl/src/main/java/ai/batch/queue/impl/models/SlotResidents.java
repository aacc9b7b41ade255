package ai.batch.queue.impl.models;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.impl.models.LifecycleRegistry.Registration;

/**
 * Which models the runtimes that are slots hold, by slot name, from one look at their lifecycle services; the
 * listener hears it when it changed. Used on the models thread only (the listener may be set from any thread).
 */
final class SlotResidents {

    private final Map<String, Set<String>> look = new HashMap<>();
    private Map<String, Set<String>> published = Map.of();
    private volatile Consumer<Map<String, Set<String>>> listener = bySlot -> { };

    void listen(Consumer<Map<String, Set<String>>> next) {
        listener = next;
    }

    /** @return what was last told */
    Map<String, Set<String>> published() {
        return published;
    }

    /** A lifecycle service answered what its runtime holds. */
    void listed(Registration registration, List<LoadedModel> models) {
        if (registration.slot() != null) {
            Set<String> held = look.computeIfAbsent(registration.slot(), slot -> new HashSet<>());
            models.forEach(model -> held.add(model.resourceKey()));
        }
    }

    /** Ends a look; a slot whose lifecycle did not answer keeps what was told before. */
    void publish(List<Registration> registrations) {
        for (Registration registration : registrations) {
            String slot = registration.slot();
            if (slot != null && !look.containsKey(slot) && published.containsKey(slot)) {
                look.put(slot, published.get(slot));
            }
        }
        Map<String, Set<String>> next = new HashMap<>();
        look.forEach((slot, models) -> next.put(slot, Set.copyOf(models)));
        look.clear();
        if (!next.equals(published)) {
            published = Map.copyOf(next);
            listener.accept(published);
        }
    }
}

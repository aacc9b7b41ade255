package ai.batch.queue.fleet;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;
import org.osgi.util.tracker.ServiceTracker;

import ai.batch.queue.handler.BatchItemHandler;

/**
 * The handler whiteboard in fleet mode. Handlers that name a slot ({@code ai.batch.slot}) form that slot of the
 * fleet, together with the other handlers naming it; a node's plain handlers together form its slot
 * {@value #LOCAL}, which runs one job's items at a time, as the single-machine queue's runner does. A slot's models
 * are its handlers' {@code ai.batch.resource}s; which handler runs a model follows the contract's rule; it runs as many
 * calls at once as its handlers' largest {@code ai.batch.concurrency}. A slot whose
 * last handler goes away stops; its running items go back to the queue for another slot.
 */
final class HandlerSlots extends ServiceTracker<BatchItemHandler<?>, FleetSlot.Member> {

    /** The slot of a node's plain handlers. */
    static final String LOCAL = "local";

    private final FleetNode node;
    private final Logger logger;
    private final Map<String, Map<ServiceReference<?>, FleetSlot.Member>> groups = new HashMap<>();

    @SuppressWarnings({"unchecked", "rawtypes"})
    HandlerSlots(BundleContext context, FleetNode node, Logger logger) {
        super(context, (Class) BatchItemHandler.class, null);
        this.node = node;
        this.logger = logger;
    }

    @Override
    @SuppressWarnings("unchecked")
    public FleetSlot.Member addingService(ServiceReference<BatchItemHandler<?>> reference) {
        BatchItemHandler<Object> handler = (BatchItemHandler<Object>) context.getService(reference);
        if (handler == null) {
            return null;
        }
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        FleetSlot.Member member = new FleetSlot.Member(handler, models(reference),
                ranking instanceof Integer value ? value : 0, (Long) reference.getProperty(Constants.SERVICE_ID),
                bounded(reference, BatchItemHandler.BATCH_SIZE, 1024), bounded(reference, BatchItemHandler.CONCURRENCY, 256));
        String slot = slotName(reference);
        synchronized (groups) {
            groups.computeIfAbsent(slot, k -> new HashMap<>()).put(reference, member);
            apply(slot, reference);
        }
        return member;
    }

    @Override
    public void removedService(ServiceReference<BatchItemHandler<?>> reference, FleetSlot.Member member) {
        String slot = slotName(reference);
        synchronized (groups) {
            Map<ServiceReference<?>, FleetSlot.Member> group = groups.get(slot);
            if (group != null) {
                group.remove(reference);
                apply(slot, reference);
            }
        }
        context.ungetService(reference);
    }

    /** Tells the node what the slot is now; called in the order of the tracker's changes. */
    private void apply(String slot, ServiceReference<?> changed) {
        Map<ServiceReference<?>, FleetSlot.Member> group = groups.get(slot);
        if (group.isEmpty()) {
            groups.remove(slot);
            node.removeSlot(slot);
            return;
        }
        try {
            node.addSlot(new FleetSlot(slot, new ArrayList<>(group.values())));
        } catch (SQLException | RuntimeException e) {
            logger.warn("Slot {} could not tell the fleet of its handlers (after a change of {}): {}; it is told "
                    + "again at the next change or when the node joins again", slot, changed, e.getMessage());
        }
    }

    static String slotName(ServiceReference<?> reference) {
        Object slot = reference.getProperty(BatchItemHandler.SLOT);
        return slot instanceof String text && !text.isBlank() && !"none".equals(text.trim()) ? text.trim() : LOCAL;
    }

    static Set<String> models(ServiceReference<?> reference) {
        Object resource = reference.getProperty(BatchItemHandler.RESOURCE);
        Set<String> models = new LinkedHashSet<>();
        if (resource instanceof String text) {
            models.add(text);
        } else if (resource instanceof String[] texts) {
            models.addAll(List.of(texts));
        } else if (resource instanceof Iterable<?> values) {
            values.forEach(v -> models.add(String.valueOf(v)));
        }
        return models;
    }

    /** An Integer property (or a String holding one) from 1 to {@code max}; 1 when absent or out of range. */
    static int bounded(ServiceReference<?> reference, String key, int max) {
        Object value = reference.getProperty(key);
        try {
            int size = value instanceof Number number ? number.intValue()
                    : value == null ? 1 : Integer.parseInt(value.toString().trim());
            return size >= 1 && size <= max ? size : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}

package ai.batch.queue.fleet;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;
import org.osgi.util.tracker.ServiceTracker;

import ai.batch.queue.handler.BatchItemHandler;

/**
 * The handler whiteboard in fleet mode: every {@link BatchItemHandler} service of this framework is one slot of
 * the fleet, named by its {@code ai.batch.slot} (else {@code handler-<service.id>}), serving its
 * {@code ai.batch.resource} models, taking {@code ai.batch.batchSize} items per call. A handler that goes away
 * stops its slot; its running items go back to the queue for another slot.
 */
final class HandlerSlots extends ServiceTracker<BatchItemHandler<?>, FleetSlot> {

    private final FleetNode node;
    private final Logger logger;

    @SuppressWarnings({"unchecked", "rawtypes"})
    HandlerSlots(BundleContext context, FleetNode node, Logger logger) {
        super(context, (Class) BatchItemHandler.class, null);
        this.node = node;
        this.logger = logger;
    }

    @Override
    @SuppressWarnings("unchecked")
    public FleetSlot addingService(ServiceReference<BatchItemHandler<?>> reference) {
        BatchItemHandler<Object> handler = (BatchItemHandler<Object>) context.getService(reference);
        if (handler == null) {
            return null;
        }
        FleetSlot slot = new FleetSlot(name(reference), handler, models(reference), batchSize(reference));
        try {
            node.addSlot(slot);
            return slot;
        } catch (SQLException | RuntimeException e) {
            logger.warn("Handler {} cannot join the fleet as slot {}: {}", reference, slot.name(), e.getMessage());
            context.ungetService(reference);
            return null;
        }
    }

    @Override
    public void removedService(ServiceReference<BatchItemHandler<?>> reference, FleetSlot slot) {
        node.removeSlot(slot.name());
        context.ungetService(reference);
    }

    static String name(ServiceReference<?> reference) {
        Object slot = reference.getProperty(BatchItemHandler.SLOT);
        String base = slot instanceof String text && !text.isBlank() && !"none".equals(text.trim()) ? text.trim() : "handler";
        return base + "-" + reference.getProperty(Constants.SERVICE_ID);
    }

    static Set<String> models(ServiceReference<?> reference) {
        Object resource = reference.getProperty(BatchItemHandler.RESOURCE);
        Set<String> models = new LinkedHashSet<>();
        if (resource instanceof String text) {
            models.add(text);
        } else if (resource instanceof String[] texts) {
            models.addAll(Set.of(texts));
        } else if (resource instanceof Iterable<?> values) {
            values.forEach(v -> models.add(String.valueOf(v)));
        }
        return models;
    }

    static int batchSize(ServiceReference<?> reference) {
        Object value = reference.getProperty(BatchItemHandler.BATCH_SIZE);
        try {
            int size = value instanceof Number number ? number.intValue() : value == null ? 1 : Integer.parseInt(value.toString().trim());
            return size >= 1 && size <= 1024 ? size : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}

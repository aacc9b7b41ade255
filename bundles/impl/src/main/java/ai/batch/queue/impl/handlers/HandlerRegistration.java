package ai.batch.queue.impl.handlers;

import java.util.Comparator;
import java.util.Map;
import java.util.Set;

import ai.batch.queue.handler.BatchItemHandler;

/**
 * One registered handler service with the properties that decide when it is chosen.
 *
 * @param handler the service object (got and ungot by DS)
 * @param resources the models it names in {@code ai.batch.resource}; may contain {@code "*"}
 * @param ranking its {@code service.ranking}
 * @param serviceId its {@code service.id}
 * @param dataType the class of item data it declares ({@code ai.batch.dataType}), or {@code null}
 * @param concurrency how many items of one job it may be called for at the same time
 *        ({@code ai.batch.concurrency}; 1 when missing or invalid)
 * @param batchSize how many items of one job it takes in one call to {@code processBatch}
 *        ({@code ai.batch.batchSize}; 1, meaning one {@code process} call per item, when missing or invalid)
 * @param slot the runtime instance it drives ({@code ai.batch.slot}), or {@code null} for a plain handler
 */
public record HandlerRegistration(BatchItemHandler<Object> handler, Set<String> resources, int ranking,
        long serviceId, String dataType, int concurrency, int batchSize, String slot) {

    /** Higher ranking first, then lower service id. */
    static final Comparator<HandlerRegistration> PREFERENCE = Comparator
            .comparingInt(HandlerRegistration::ranking).reversed()
            .thenComparingLong(HandlerRegistration::serviceId);

    /**
     * Reads a registration from service properties.
     *
     * @param handler the service
     * @param properties its service properties
     * @return the registration; {@code resources} is empty when the property is missing or not a String/String[]
     */
    @SuppressWarnings("unchecked")
    public static HandlerRegistration of(BatchItemHandler<?> handler, Map<String, ?> properties) {
        Object resource = properties.get(BatchItemHandler.RESOURCE);
        Set<String> resources = Set.of();
        if (resource instanceof String single) {
            resources = Set.of(single);
        } else if (resource instanceof String[] many) {
            resources = Set.copyOf(java.util.Arrays.asList(many));
        } else if (resource instanceof java.util.Collection<?> collection) {
            resources = Set.copyOf(collection.stream().map(String::valueOf).toList());
        }
        Object ranking = properties.get("service.ranking");
        Object id = properties.get("service.id");
        Object dataType = properties.get(BatchItemHandler.DATA_TYPE);
        Integer concurrency = wholeNumber(properties.get(BatchItemHandler.CONCURRENCY), MAX_CONCURRENCY);
        Integer batchSize = wholeNumber(properties.get(BatchItemHandler.BATCH_SIZE), MAX_BATCH_SIZE);
        Object slot = properties.get(BatchItemHandler.SLOT);
        return new HandlerRegistration((BatchItemHandler<Object>) handler, resources,
                ranking instanceof Integer value ? value : 0, id instanceof Long value ? value : Long.MAX_VALUE,
                dataType instanceof String name && !name.isBlank() ? name : null,
                concurrency == null ? 1 : concurrency, batchSize == null ? 1 : batchSize,
                slot instanceof String name && !name.isBlank() ? name.strip() : null);
    }

    /**
     * @param properties a handler's service properties
     * @return whether its {@code ai.batch.concurrency} is missing or a whole number of at least 1
     */
    public static boolean hasValidConcurrency(Map<String, ?> properties) {
        Object value = properties.get(BatchItemHandler.CONCURRENCY);
        return value == null || wholeNumber(value, MAX_CONCURRENCY) != null;
    }

    /**
     * @param properties a handler's service properties
     * @return whether its {@code ai.batch.batchSize} is missing or a whole number from 1 to {@link #MAX_BATCH_SIZE}
     */
    public static boolean hasValidBatchSize(Map<String, ?> properties) {
        Object value = properties.get(BatchItemHandler.BATCH_SIZE);
        return value == null || wholeNumber(value, MAX_BATCH_SIZE) != null;
    }

    /** @return the value (a whole number, or a String holding one) if from 1 to {@code max}, else {@code null} */
    private static Integer wholeNumber(Object value, int max) {
        long parsed;
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            parsed = ((Number) value).longValue();
        } else if (value instanceof String text) {
            try {
                parsed = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return parsed >= 1 && parsed <= max ? (int) parsed : null;
    }

    /** The most lanes one job gets, whatever a handler declares. */
    public static final int MAX_CONCURRENCY = 256;

    /** The most items one call to {@code processBatch} gets, whatever a handler declares. */
    public static final int MAX_BATCH_SIZE = 1024;

    /** @return whether this handler declares a slot */
    public boolean isSlot() {
        return slot != null;
    }

    /** @return whether it names the model exactly or serves any */
    public boolean serves(String resourceKey) {
        return servesExactly(resourceKey) || servesAny();
    }

    boolean servesExactly(String resourceKey) {
        return resources.contains(resourceKey);
    }

    boolean servesAny() {
        return resources.contains(BatchItemHandler.ANY_RESOURCE);
    }
}

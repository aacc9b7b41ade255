package ai.batch.queue.impl.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.impl.handlers.HandlerRegistration;

/**
 * Item data rebuilt from the journal as JSON, turned back into the class the handler declares, loaded through
 * the handler's own class loader. Nothing else is ever instantiated.
 */
final class RestoredData {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RestoredData() {
    }

    /**
     * @param recordedType the class the journal recorded for the data
     * @return the data as the handler's declared class
     * @throws IllegalStateException with a message for the item's error when that cannot be done
     */
    static Object convert(JsonNode json, String recordedType, HandlerRegistration handler) {
        if (!recordedType.equals(handler.dataType())) {
            throw new IllegalStateException("Item data was restored from the journal as JSON of class "
                    + recordedType + "; handler service " + handler.serviceId() + " must declare "
                    + "ai.batch.dataType=" + recordedType + " to receive it");
        }
        try {
            Class<?> type = Class.forName(recordedType, false, handler.handler().getClass().getClassLoader());
            return MAPPER.treeToValue(json, type);
        } catch (ClassNotFoundException | com.fasterxml.jackson.core.JsonProcessingException
                | IllegalArgumentException e) {
            throw new IllegalStateException("Item data restored from the journal cannot be read as "
                    + recordedType + ": " + e.getMessage(), e);
        }
    }
}

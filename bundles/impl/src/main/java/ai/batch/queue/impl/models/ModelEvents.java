package ai.batch.queue.impl.models;

/** Where the queue reports what it did with models ({@code ai_batch/model_*} events). */
public interface ModelEvents {

    /**
     * The queue asked a runtime to load a model.
     *
     * @param slot the runtime's slot ({@code ai.batch.slot} of its lifecycle service), or {@code null}
     */
    void loading(String resourceKey, String reason, String slot);

    /** The load asked for ended; {@code error} is {@code null} when it worked. */
    void loaded(String resourceKey, String reason, long durationMs, String error, String slot);

    /** The queue unloaded a model (or tried to: {@code error} is set when it failed). */
    void unloaded(String resourceKey, String reason, String error, String slot);

    /** Reports nothing. */
    ModelEvents NONE = new ModelEvents() {
        @Override
        public void loading(String resourceKey, String reason, String slot) {
        }

        @Override
        public void loaded(String resourceKey, String reason, long durationMs, String error, String slot) {
        }

        @Override
        public void unloaded(String resourceKey, String reason, String error, String slot) {
        }
    };
}

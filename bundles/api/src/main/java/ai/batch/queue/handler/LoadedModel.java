package ai.batch.queue.handler;

import java.time.Instant;
import java.util.Objects;

/**
 * A model a runtime holds in memory, as {@link ModelLifecycle#loadedModels()} reports it. Immutable.
 *
 * @since 1.2
 */
public final class LoadedModel {

    private final String resourceKey;
    private final long sizeBytes;
    private final Instant expiresAt;

    private LoadedModel(String resourceKey, long sizeBytes, Instant expiresAt) {
        if (resourceKey == null || resourceKey.isBlank()) {
            throw new IllegalArgumentException("resourceKey must not be blank");
        }
        this.resourceKey = resourceKey;
        this.sizeBytes = sizeBytes;
        this.expiresAt = expiresAt;
    }

    /**
     * @param resourceKey the model
     * @param sizeBytes the memory it takes, or -1 when not known
     * @param expiresAt when the runtime will unload it by itself, or {@code null} for never or not known
     * @return the loaded model
     */
    public static LoadedModel of(String resourceKey, long sizeBytes, Instant expiresAt) {
        return new LoadedModel(resourceKey, sizeBytes < 0 ? -1 : sizeBytes, expiresAt);
    }

    /** @return the model, e.g. {@code llava:13b} */
    public String resourceKey() {
        return resourceKey;
    }

    /** @return the memory it takes in bytes, or -1 when not known */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** @return when the runtime will unload it by itself, or {@code null} */
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoadedModel that && resourceKey.equals(that.resourceKey)
                && sizeBytes == that.sizeBytes && Objects.equals(expiresAt, that.expiresAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resourceKey, sizeBytes, expiresAt);
    }

    @Override
    public String toString() {
        return "LoadedModel[" + resourceKey + (sizeBytes >= 0 ? ", " + sizeBytes + " bytes" : "")
                + (expiresAt != null ? ", expires " + expiresAt : "") + "]";
    }
}

package ai.batch.queue.handler;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Optional: lets the queue see and steer which models a runtime holds in memory (a model server such as Ollama,
 * or an in-process runtime). Register it as an OSGi service with the same {@value BatchItemHandler#RESOURCE}
 * property as the handlers it serves ({@code "*"}: every model the handlers of that runtime serve). When one is
 * present for a model the queue:
 * <ul>
 * <li>plans as if every loaded model were free to switch to, not only the one that ran last;</li>
 * <li>loads the next planned model while the current job's remaining work is shorter than that model's learned
 * load time, when the runtime has room for both (configuration {@code models.preload});</li>
 * <li>unloads a model that has had no queued work for {@code models.keepWarmMs}, and, if
 * {@code models.releaseOnPause} is set, every model when the queue is paused;</li>
 * <li>reports {@code ai_batch/model_loading}, {@code ai_batch/model_loaded} (with the measured duration, which
 * also teaches the estimates the model's load time) and {@code ai_batch/model_unloaded} (with why).</li>
 * </ul>
 * Calls come from a queue thread of their own, never while the queue holds a lock, and each has a deadline
 * ({@code models.lifecycleTimeoutMs}): a call that throws or does not return in time is logged, naming the
 * runtime and the model, and the queue goes on; the handler then loads the model lazily on its first item.
 *
 * @since 1.2
 */
@ConsumerType
public interface ModelLifecycle {

    /**
     * The models the runtime holds now.
     *
     * @return the loaded (or loading) models; never {@code null}
     * @throws Exception if the runtime cannot be asked (e.g. a server that is not running)
     */
    List<LoadedModel> loadedModels() throws Exception;

    /**
     * Loads a model and returns once it is ready to serve items.
     *
     * @param resourceKey the model
     * @throws Exception if it cannot be loaded (unknown model, no room, server down)
     */
    void load(String resourceKey) throws Exception;

    /**
     * Unloads a model, giving its memory back.
     *
     * @param resourceKey the model
     * @throws Exception if it cannot be unloaded
     */
    void unload(String resourceKey) throws Exception;

    /**
     * How many models fit at once.
     *
     * @return at least 1; 1 by default
     */
    default int capacity() {
        return 1;
    }

    /**
     * Whether the runtime unloads models on its own (for example after an idle time, or to make room for
     * another model), so that a model the queue loaded may be gone later.
     *
     * @return {@code false} by default
     */
    default boolean evictsOnItsOwn() {
        return false;
    }
}

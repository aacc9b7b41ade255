/**
 * Client API of the AI batch queue.
 *
 * <p>A job is one model (the <em>resource key</em>, for example {@code llava:13b}) plus one operation
 * ({@code tag}, {@code caption}) applied to many items. Clients build jobs with
 * {@link ai.batch.queue.BatchJob#of}, hand them to the {@link ai.batch.queue.BatchQueue} service, and follow
 * them through snapshots and through the EventAdmin topics listed in {@link ai.batch.queue.BatchEvents}.
 *
 * <p>All value types in this package are immutable snapshots: a value returned by the queue never changes
 * afterwards. They serialize with a plain Jackson {@code ObjectMapper} to the JSON shape documented on each
 * type.
 *
 * <p>Version 1.1 added estimates ({@link ai.batch.queue.BatchEstimate}), priorities
 * ({@link ai.batch.queue.JobPriority}), queue control (pause, resume, move to front, purge), item attempts and the
 * topics beyond {@code job_started}, {@code item_progress} and {@code job_completed}; each is marked
 * {@code @since 1.1}.
 *
 * <p>Version 1.2 added the model lifecycle topics ({@code model_loading}, {@code model_loaded},
 * {@code model_unloaded}), marked {@code @since 1.2}.
 *
 * <p>Version 1.3 added the {@link ai.batch.queue.BatchEvents#SLOT} property of item and model events.
 */
@Version("1.3.0")
@Export
package ai.batch.queue;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Handler SPI: plugin bundles register {@link ai.batch.queue.handler.BatchItemHandler} services (whiteboard
 * pattern) to process the items of jobs for the models they name in
 * {@link ai.batch.queue.handler.BatchItemHandler#RESOURCE}.
 *
 * <p>Version 1.1 added handlers that process several items of a job at once
 * ({@link ai.batch.queue.handler.BatchItemHandler#CONCURRENCY},
 * {@link ai.batch.queue.handler.BatchHandler#concurrency()}),
 * declared data types ({@link ai.batch.queue.handler.BatchItemHandler#DATA_TYPE},
 * {@link ai.batch.queue.handler.BatchHandler#dataType()}) and failures that may pass
 * ({@link ai.batch.queue.handler.ItemResult#retryableFailure(String)},
 * {@link ai.batch.queue.handler.RetryableException}).
 *
 * <p>Version 1.2 added micro-batches ({@link ai.batch.queue.handler.BatchItemHandler#BATCH_SIZE},
 * {@link ai.batch.queue.handler.BatchItemHandler#processBatch}, {@link ai.batch.queue.handler.BatchHandler#batchSize()})
 * and the model lifecycle ({@link ai.batch.queue.handler.ModelLifecycle},
 * {@link ai.batch.queue.handler.LoadedModel}).
 *
 * <p>Version 1.3 added a least wait before the next attempt of a failure that may pass, for a server's
 * {@code Retry-After} ({@link ai.batch.queue.handler.ItemResult#retryableFailure(String, java.time.Duration)},
 * {@link ai.batch.queue.handler.RetryableException#RetryableException(String, java.time.Duration)}).
 *
 * <p>Version 1.4 added slots: handlers that each drive a runtime instance of their own and share the work of
 * their models ({@link ai.batch.queue.handler.BatchItemHandler#SLOT}, {@link ai.batch.queue.handler.BatchHandler#slot()}).
 */
@Version("1.4.0")
@Export
package ai.batch.queue.handler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Handler SPI: plugin bundles register {@link ai.batch.queue.handler.BatchItemHandler} services (whiteboard
 * pattern) to process the items of jobs for the models they name in
 * {@link ai.batch.queue.handler.BatchItemHandler#RESOURCE}.
 */
@Version("1.1.0")
@Export
package ai.batch.queue.handler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * What the bundles that talk to model servers over HTTP decide alike, decided once: which statuses may pass
 * ({@link ai.batch.queue.runtime.kit.HttpStatuses}), how long a server asked to wait
 * ({@link ai.batch.queue.runtime.kit.RetryAfter}), taking secrets out of a server's text before it is cut
 * ({@link ai.batch.queue.runtime.kit.SecretMask}), and the words of an item's failure, its log line and a
 * cancellation ({@link ai.batch.queue.runtime.kit.FailureText}).
 *
 * <p>Not exported and not a bundle: each runtime bundle copies this package in privately with bnd's
 * {@code -conditionalpackage}, so a change here reaches every bundle at its next build and no bundle depends on
 * another at run time. Each bundle keeps its own protocol (request and response shapes, item data).
 */
package ai.batch.queue.runtime.kit;

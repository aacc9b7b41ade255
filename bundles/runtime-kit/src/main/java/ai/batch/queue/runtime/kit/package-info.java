/**
 * What the bundles that talk to model servers over HTTP decide alike, decided once: which statuses may pass
 * ({@link ai.batch.queue.runtime.kit.HttpStatuses}), how long a server asked to wait
 * ({@link ai.batch.queue.runtime.kit.RetryAfter}), taking secrets out of a server's text before it is cut
 * ({@link ai.batch.queue.runtime.kit.SecretMask}), the words of an item's failure, its log line and a
 * cancellation ({@link ai.batch.queue.runtime.kit.FailureText}), and the slot a configuration declares: its
 * name ({@link ai.batch.queue.runtime.kit.SlotNames}), the service properties that carry it
 * ({@link ai.batch.queue.runtime.kit.ServiceProperties}) and one name given to two servers
 * ({@link ai.batch.queue.runtime.kit.SlotClaims}).
 *
 * <p>Not exported and not a bundle: each runtime bundle copies this package in privately with bnd's
 * {@code -conditionalpackage}, so a change here reaches every bundle at its next build and no bundle depends on
 * another at run time. Each bundle keeps its own protocol (request and response shapes, item data).
 */
package ai.batch.queue.runtime.kit;

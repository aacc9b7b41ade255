package ai.batch.queue.impl.executor;

import java.time.Duration;

import org.osgi.service.log.Logger;

import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.RetryableException;

/** Turns what a handler call gave (a result or a throwable) into an item's outcome. */
final class Outcomes {

    /**
     * An item's outcome; {@code retryable} when another attempt may pass, then no sooner than
     * {@code retryAfterMs} (the handler's wish, 0 for none).
     */
    record Outcome(BatchItemStatus status, String error, String output, boolean retryable, long retryAfterMs) {
        static Outcome failed(String error) {
            return new Outcome(BatchItemStatus.FAILED, error, null, false, 0);
        }

        static Outcome mayPassAgain(String error) {
            return mayPassAgain(error, null);
        }

        static Outcome mayPassAgain(String error, Duration retryAfter) {
            return new Outcome(BatchItemStatus.FAILED, error, null, true,
                    retryAfter == null ? 0 : Math.max(0, retryAfter.toMillis()));
        }
    }

    private Outcomes() {
    }

    /** @param thrown what the call threw, or {@code null} if it returned {@code result} */
    static Outcome of(ItemResult result, Throwable thrown) {
        if (thrown != null) {
            if (thrown instanceof RetryableException retryable) {
                return Outcome.mayPassAgain(message(thrown), retryable.retryAfter());
            }
            return thrown instanceof java.io.IOException ? Outcome.mayPassAgain(message(thrown))
                    : Outcome.failed(message(thrown));
        }
        if (result == null) {
            return Outcome.failed("Handler returned no result (null)");
        }
        if (!result.isSuccess()) {
            String error = result.error() == null ? "Handler failed without an error message" : result.error();
            return result.isRetryable() ? Outcome.mayPassAgain(error, result.retryAfter()) : Outcome.failed(error);
        }
        return new Outcome(BatchItemStatus.COMPLETED, null, result.output(), false, 0);
    }

    /** @param items the items of the call, as {@link RunningCall#describeItems()} puts them */
    static void logFailure(Logger logger, String method, BatchJob<?> job, String items, long serviceId,
            Throwable e) {
        logger.warn("Handler service {} failed in {} for {} of job {} (model {}, operation {})", serviceId,
                method, items, job.id(), job.resourceKey(), job.operation(), e);
    }

    static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }
}

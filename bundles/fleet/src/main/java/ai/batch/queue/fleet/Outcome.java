package ai.batch.queue.fleet;

import java.util.Objects;

import ai.batch.queue.BatchItemStatus;

/**
 * What one leased item's call came to, to be recorded if the lease still holds.
 *
 * @param item the leased item
 * @param status COMPLETED, FAILED or SKIPPED; or PENDING for a retry after {@code retryAfterMs}
 * @param error the error, or {@code null}
 * @param durationMs how long the call took, or {@code null}
 * @param output the handler's output, or {@code null}
 * @param retryAfterMs for a retry, how long the item waits before it may be claimed again
 */
record Outcome(ClaimedItem item, BatchItemStatus status, String error, Long durationMs, String output, long retryAfterMs) {

    Outcome {
        Objects.requireNonNull(item, "item");
        if (status == BatchItemStatus.RUNNING || status == BatchItemStatus.CANCELLED) {
            throw new IllegalArgumentException("An outcome is COMPLETED, FAILED, SKIPPED or PENDING (a retry), not " + status);
        }
    }

    static Outcome completed(ClaimedItem item, long durationMs, String output) {
        return new Outcome(item, BatchItemStatus.COMPLETED, null, durationMs, output, 0);
    }

    static Outcome failed(ClaimedItem item, String error, Long durationMs) {
        return new Outcome(item, BatchItemStatus.FAILED, error, durationMs, null, 0);
    }

    static Outcome skipped(ClaimedItem item) {
        return new Outcome(item, BatchItemStatus.SKIPPED, null, null, null, 0);
    }

    static Outcome retry(ClaimedItem item, String error, long retryAfterMs) {
        return new Outcome(item, BatchItemStatus.PENDING, error, null, null, retryAfterMs);
    }
}

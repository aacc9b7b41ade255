package ai.batch.queue.impl.executor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import ai.batch.queue.BatchItem;

/**
 * The automatic retries of one job run: attempts per item, and the items waiting for their next attempt, each
 * due after an exponential backoff (initial, doubled per attempt, capped) with ±50 % jitter so that retries of
 * many items do not hit a struggling model server at the same moment.
 */
final class Retries {

    /** An item due for another attempt at a point in {@link System#nanoTime()}. */
    record Due(BatchItem<?> item, long atNanos) {
    }

    private final ExecutorSettings settings;
    private final Map<String, Integer> attempts = new HashMap<>();
    private final List<Due> waiting = new ArrayList<>();

    Retries(ExecutorSettings settings) {
        this.settings = settings;
    }

    /** A handler call for the item starts. */
    void attempted(BatchItem<?> item) {
        attempts.merge(item.id(), item.attempts() + 1, (known, fromSnapshot) -> known + 1);
    }

    int attemptsOf(BatchItem<?> item) {
        return attempts.getOrDefault(item.id(), item.attempts());
    }

    boolean allowAnother(BatchItem<?> item) {
        return attemptsOf(item) < settings.retryMaxAttempts();
    }

    void schedule(BatchItem<?> item) {
        int failedAttempts = attemptsOf(item);
        double backoff = Math.min(settings.retryMaxBackoffMs(),
                settings.retryInitialBackoffMs() * Math.pow(2, failedAttempts - 1));
        double jittered = backoff * ThreadLocalRandom.current().nextDouble(0.5, 1.5);
        waiting.add(new Due(item, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.round(jittered))));
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Removes and returns the item due first. */
    Due next() {
        Due first = waiting.stream().min(Comparator.comparingLong(Due::atNanos)).orElseThrow();
        waiting.remove(first);
        return first;
    }
}

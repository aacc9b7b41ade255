package ai.batch.queue.impl.executor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import ai.batch.queue.BatchItem;
import ai.batch.queue.impl.config.QueueSettings;

/**
 * The automatic retries of one job run: the items waiting for their next attempt, each due after an exponential
 * backoff (initial, doubled per attempt, capped) with ±50 % jitter so that retries of many items do not hit a
 * struggling model server at the same moment. Thread-safe: the lanes of a run share it.
 */
final class Retries {

    /** An item due for another attempt at a point in {@link System#nanoTime()}, after {@code attempts} calls. */
    record Due(BatchItem<?> item, long atNanos, int attempts) {
    }

    private final QueueSettings settings;
    private final List<Due> waiting = new ArrayList<>();

    Retries(QueueSettings settings) {
        this.settings = settings;
    }

    /**
     * @param retryAfterMs the least wait the handler asked for, 0 for none
     * @return whether an item that failed on call number {@code attempt} may be tried again: attempts are left,
     *         and the handler's wish is no longer than an item may take ({@code item.timeout.ms}); a server that
     *         asks for more fails the item now rather than hold its job that long
     */
    boolean allowAnother(int attempt, long retryAfterMs) {
        return attempt < settings.retryMaxAttempts() && retryAfterMs <= settings.itemTimeoutMs();
    }

    /**
     * Schedules another attempt of an item that failed on call number {@code attempt}.
     *
     * @param retryAfterMs the least wait the handler asked for, 0 for none
     * @return the wait in milliseconds
     */
    synchronized long schedule(BatchItem<?> item, int attempt, long retryAfterMs) {
        double backoff = Math.min(settings.retryMaxBackoffMs(),
                settings.retryInitialBackoffMs() * Math.pow(2, attempt - 1));
        long waitMs = Math.max(retryAfterMs, Math.round(backoff * ThreadLocalRandom.current().nextDouble(0.5, 1.5)));
        waiting.add(new Due(item, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs), attempt));
        return waitMs;
    }

    /** @return how many items wait for another attempt */
    synchronized int size() {
        return waiting.size();
    }

    /** @return when the first waiting item is due ({@link System#nanoTime()}), or {@code null} when none waits */
    synchronized Long firstDueNanos() {
        return waiting.stream().map(Due::atNanos).min(Comparator.naturalOrder()).orElse(null);
    }

    /** Removes and returns up to {@code max} items due by {@code nowNanos}, the earliest first. */
    synchronized List<Due> takeDue(long nowNanos, int max) {
        List<Due> due = waiting.stream().filter(item -> item.atNanos() - nowNanos <= 0)
                .sorted(Comparator.comparingLong(Due::atNanos)).limit(max).toList();
        waiting.removeAll(due);
        return due;
    }
}

package ai.batch.queue.impl.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.impl.config.QueueSettings;

/**
 * The items of one job run still to hand out: a cursor over the job's items (only PENDING ones are taken; items
 * finished before this run, as after {@code retryFailed}, are left alone), then the items waiting for another
 * attempt. Thread-safe: every lane of the run, whichever slot it belongs to, takes from the same instance, so no
 * item is handed out twice.
 */
final class RunItems {

    private final List<? extends BatchItem<?>> items;
    private final Object cursorLock = new Object();
    private int cursor; // guarded by cursorLock
    final Retries retries;

    RunItems(List<? extends BatchItem<?>> items, QueueSettings settings) {
        this.items = items;
        this.retries = new Retries(settings);
    }

    /** @return how many items no lane has taken yet (the next PENDING ones and those waiting for another attempt) */
    int untaken() {
        int count = retries.size();
        synchronized (cursorLock) {
            for (int i = cursor; i < items.size(); i++) {
                if (items.get(i).status() == BatchItemStatus.PENDING) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Takes up to {@code max} items: the next PENDING ones in the job's order, then, once none is left, those
     * whose retry is due.
     */
    List<BatchItem<?>> take(int max) {
        List<BatchItem<?>> taken = new ArrayList<>(max);
        synchronized (cursorLock) {
            while (cursor < items.size() && taken.size() < max) {
                BatchItem<?> item = items.get(cursor++);
                if (item.status() == BatchItemStatus.PENDING) {
                    taken.add(item);
                }
            }
        }
        if (taken.size() < max) {
            for (Retries.Due due : retries.takeDue(System.nanoTime(), max - taken.size())) {
                taken.add(due.item().withAttempts(due.attempts()));
            }
        }
        return taken;
    }

    /**
     * Waits, once only items waiting for another attempt are left, until the first of them is due.
     *
     * @return {@link Wait#READY} when there may be an item to take, {@link Wait#NONE_LEFT} when nothing is left,
     *         {@link Wait#INTERRUPTED} when the wait was interrupted (the executor is closing)
     */
    Wait awaitWork() {
        synchronized (cursorLock) {
            if (cursor < items.size()) {
                return Wait.READY;
            }
        }
        Long due = retries.firstDueNanos();
        if (due == null) {
            return Wait.NONE_LEFT;
        }
        return waitUntil(due) ? Wait.READY : Wait.INTERRUPTED;
    }

    /** What {@link #awaitWork()} found. */
    enum Wait {
        READY, NONE_LEFT, INTERRUPTED
    }

    /** Waits for a retry's backoff. @return {@code false} when interrupted */
    private static boolean waitUntil(long atNanos) {
        long left;
        while ((left = atNanos - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}

package ai.batch.queue.crash;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/**
 * Wakes the harness when the queue reports that a job ended, so that it re-reads the queue's state instead of
 * polling on a timer. A wake-up that comes while the harness is reading is kept for its next wait.
 */
final class CompletionSignal implements EventHandler {

    private final Semaphore signals = new Semaphore(0);

    @Override
    public void handleEvent(Event event) {
        signals.release();
    }

    /**
     * Waits until a job ends or the time is up.
     *
     * @return whether a job ended (since the last call)
     */
    boolean await(long timeoutMs) throws InterruptedException {
        boolean signalled = signals.tryAcquire(Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
        signals.drainPermits();
        return signalled;
    }
}

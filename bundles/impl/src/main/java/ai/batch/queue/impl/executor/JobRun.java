package ai.batch.queue.impl.executor;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.osgi.service.log.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.ExecutorQueue;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.notify.QueueListener.QueuedCause;

/**
 * One run of a started job: its PENDING items, in order, then the items waiting for another attempt. Handler
 * calls happen on the runner thread itself (no hand-off per item); a handler declaring
 * {@code ai.batch.concurrency} above 1 gets that many lanes, the extra ones on lane threads, all taking the next
 * item from a shared cursor. The runner finishes the job once every lane is done. A call that hangs past its
 * timeout is abandoned by the {@link Watchdog}, which hands the caller's lane to a fresh thread.
 */
final class JobRun {

    /** What every run shares. */
    record Context(ExecutorQueue queue, HandlerRegistry handlers, Set<RunningItem> inFlight,
            QueueSettings settings, BooleanSupplier awaitUnpaused, Executor laneThreads, Logger logger) {
    }

    /** Thrown on a thread whose call was abandoned, to end it without touching the queue. */
    static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super(null, null, false, false);
        }
    }

    final BatchJob<?> job;
    private final Context context;
    private final List<? extends BatchItem<?>> items;
    private final AtomicInteger cursor = new AtomicInteger();
    private final Retries retries;
    private volatile QueuedCause requeue;
    private volatile boolean over;
    private int activeLanes; // guarded by this

    JobRun(BatchJob<?> job, Context context) {
        this.job = job;
        this.context = context;
        this.items = job.items();
        this.retries = new Retries(context.settings());
    }

    /** Runs the job on the calling runner thread, with extra lanes when the handler allows them. */
    void run() {
        int lanes = context.handlers().select(job.resourceKey()).map(HandlerRegistration::concurrency).orElse(1);
        lanes = Math.max(1, Math.min(lanes, items.size()));
        synchronized (this) {
            activeLanes = lanes;
        }
        for (int i = 1; i < lanes; i++) {
            context.laneThreads().execute(this::laneWork);
        }
        runnerWork();
    }

    /** The runner's part: its own lane, then the end of the job once every lane is done. */
    void runnerWork() {
        work(true);
        laneDone();
        awaitLanes();
        if (requeue != null) {
            context.queue().requeueRunning(job.id(), requeue);
        } else if (context.queue().jobStatus(job.id()).orElse(null) == BatchJobStatus.RUNNING) {
            context.queue().finishRunning(job.id());
        }
    }

    /** An extra lane's part. */
    void laneWork() {
        try {
            work(false);
        } catch (Abandoned e) {
            return; // a fresh thread carries on with this lane
        } catch (RuntimeException e) {
            context.logger().error("A lane of job {} failed unexpectedly; the job is put back in the queue",
                    job.id(), e);
            end(QueuedCause.STOPPED);
        }
        laneDone();
    }

    private void work(boolean runnerRole) {
        BatchItem<?> item;
        while (!over && (item = nextItem()) != null) {
            runNext(item, runnerRole);
        }
    }

    /** Ends the run early; the job goes back to the queue for {@code cause} once every lane is done. */
    void end(QueuedCause cause) {
        if (requeue == null) {
            requeue = cause;
        }
        over = true;
    }

    private synchronized void laneDone() {
        activeLanes--;
        notifyAll();
    }

    private synchronized void awaitLanes() {
        while (activeLanes > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                // closing: the lanes' calls were stopped and end soon; keep the interrupt for the runner loop
                end(QueuedCause.STOPPED);
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return the next item to call the handler for (with its attempt number), or {@code null} at the end */
    private BatchItem<?> nextItem() {
        int index;
        while ((index = cursor.getAndIncrement()) < items.size()) {
            BatchItem<?> item = items.get(index);
            if (item.status() == BatchItemStatus.PENDING) {
                return item; // items finished before this run (a retry re-queues only some) are left alone
            }
        }
        cursor.set(items.size()); // keeps the cursor from growing past the end
        Retries.Due due = retries.takeNext();
        if (due == null) {
            return null;
        }
        if (!waitUntil(due.atNanos())) {
            end(QueuedCause.STOPPED);
            return null;
        }
        return due.item().withAttempts(due.attempts());
    }

    /** Waits for a retry's backoff. @return {@code false} when interrupted (the executor is closing) */
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

    /** Runs one item after the checks every item needs. */
    private void runNext(BatchItem<?> item, boolean runnerRole) {
        if (!context.awaitUnpaused().getAsBoolean()) {
            end(QueuedCause.STOPPED); // closing while paused
            return;
        }
        if (context.queue().jobStatus(job.id()).orElse(null) != BatchJobStatus.RUNNING) {
            over = true; // cancelled: the queue already announced its end
            return;
        }
        Optional<HandlerRegistration> handler = context.handlers().select(job.resourceKey());
        if (handler.isEmpty()) {
            context.logger().warn("No handler for model {} any more; job {} waits for one", job.resourceKey(),
                    job.id());
            end(QueuedCause.HANDLER_GONE);
            return;
        }
        Object input = input(item, handler.get());
        if (input == null || skipped(item, input, handler.get())) {
            return;
        }
        if (!context.queue().tryUpdateItem(job.id(), item.id(), BatchItemStatus.RUNNING, null, null, null)) {
            return; // cancelled meanwhile
        }
        call(item, input, handler.get(), runnerRole);
    }

    /** @return the item's data for the handler, or {@code null} if it cannot be converted (the item FAILED) */
    private Object input(BatchItem<?> item, HandlerRegistration handler) {
        Object data = item.data();
        if (data instanceof JsonNode json) {
            Optional<String> recordedType = context.queue().restoredDataType(job.id());
            if (recordedType.isPresent()) {
                try {
                    return RestoredData.convert(json, recordedType.get(), handler);
                } catch (IllegalStateException e) {
                    context.logger().error("Job {} item {}: {}", job.id(), item.id(), e.getMessage());
                    context.queue().tryUpdateItem(job.id(), item.id(), BatchItemStatus.FAILED, e.getMessage(), null,
                            null);
                    return null;
                }
            }
        }
        return data;
    }

    /** Asks the handler whether to skip the item (SKIP policy only). @return {@code true} if it was settled */
    private boolean skipped(BatchItem<?> item, Object input, HandlerRegistration handler) {
        if (job.overwritePolicy() != OverwritePolicy.SKIP) {
            return false;
        }
        try {
            if (handler.handler().shouldSkip(input, job.operation())) {
                context.queue().tryUpdateItem(job.id(), item.id(), BatchItemStatus.SKIPPED, null, null, null);
                return true;
            }
            return false;
        } catch (Throwable e) { // a handler may throw anything, Errors included
            Outcomes.logFailure(context.logger(), "shouldSkip", job, item.id(), handler.serviceId(), e);
            context.queue().tryUpdateItem(job.id(), item.id(), BatchItemStatus.FAILED, "shouldSkip failed: "
                    + Outcomes.message(e), null, null);
            return true;
        }
    }

    private void call(BatchItem<?> item, Object input, HandlerRegistration handler, boolean runnerRole) {
        RunningItem running = new RunningItem(this, item, handler.serviceId(), runnerRole);
        context.inFlight().add(running);
        if (!context.handlers().contains(handler.serviceId())) {
            running.stop(RunningItem.StopReason.HANDLER_GONE); // went away between selection and start
        }
        ItemResult result = null;
        Throwable thrown = null;
        try {
            if (!running.isCancelled()) {
                result = handler.handler().process(input, running);
            }
        } catch (Throwable e) { // a handler may throw anything, Errors included
            thrown = e;
        }
        boolean owned = running.returned();
        context.inFlight().remove(running);
        if (!owned) {
            throw new Abandoned();
        }
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - running.startedNanos);
        RunningItem.StopReason stopped = running.stopReason();
        if (stopped == RunningItem.StopReason.HANDLER_GONE || stopped == RunningItem.StopReason.STOPPING) {
            end(stopped == RunningItem.StopReason.STOPPING ? QueuedCause.STOPPED : QueuedCause.HANDLER_GONE);
            return;
        }
        if (stopped == RunningItem.StopReason.CANCELLED) {
            return; // late result of a cancelled call: discarded
        }
        Outcomes.Outcome outcome;
        if (stopped == RunningItem.StopReason.TIMED_OUT) {
            outcome = timedOut(running);
        } else {
            if (thrown != null) {
                Outcomes.logFailure(context.logger(), "process", job, item.id(), handler.serviceId(), thrown);
            }
            outcome = Outcomes.of(result, thrown);
        }
        record(item, running.attempt, outcome, durationMs);
    }

    /** Records the outcome of a call the watchdog abandoned after it timed out. */
    void recordAbandoned(RunningItem running) {
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - running.startedNanos);
        record(running.item, running.attempt, timedOut(running), durationMs);
    }

    private Outcomes.Outcome timedOut(RunningItem running) {
        long timeoutMs = context.settings().itemTimeoutMs();
        context.logger().warn("Item {} of job {} (model {}) timed out after {} ms in handler service {}",
                running.itemId(), job.id(), job.resourceKey(), timeoutMs, running.handlerServiceId);
        return Outcomes.Outcome.mayPassAgain("Handler timed out after " + timeoutMs + " ms");
    }

    private void record(BatchItem<?> item, int attempt, Outcomes.Outcome outcome, long durationMs) {
        ExecutorQueue queue = context.queue();
        if (outcome.retryable() && retries.allowAnother(attempt)
                && queue.retryLater(job.id(), item.id(), outcome.error(), durationMs)) {
            context.logger().info("Item {} of job {} failed ({}); attempt {} follows after a backoff", item.id(),
                    job.id(), outcome.error(), attempt + 1);
            retries.schedule(item, attempt);
            return;
        }
        queue.tryUpdateItem(job.id(), item.id(), outcome.status(), outcome.error(), durationMs, outcome.output());
    }
}

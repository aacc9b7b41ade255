package ai.batch.queue.impl.executor;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.osgi.service.log.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.RetryableException;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.core.QueueListener.QueuedCause;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;

/**
 * Runs the PENDING items of one started job, in order, each handler call on a worker thread so that a
 * throwing, hanging or vanished handler never holds up the queue.
 */
final class JobRunner {

    private final CoreBatchQueue queue;
    private final HandlerRegistry handlers;
    private final ExecutorService workers;
    private final Map<String, RunningItem> inFlight;
    private final Supplier<ExecutorSettings> settings;
    private final BooleanSupplier awaitUnpaused;
    private final Logger logger;

    JobRunner(CoreBatchQueue queue, HandlerRegistry handlers, ExecutorService workers,
            Map<String, RunningItem> inFlight, Supplier<ExecutorSettings> settings, BooleanSupplier awaitUnpaused,
            Logger logger) {
        this.queue = queue;
        this.handlers = handlers;
        this.workers = workers;
        this.inFlight = inFlight;
        this.settings = settings;
        this.awaitUnpaused = awaitUnpaused;
        this.logger = logger;
    }

    void run(BatchJob<?> job) {
        Retries retries = new Retries(settings.get());
        for (BatchItem<?> item : job.items()) {
            if (item.status() != BatchItemStatus.PENDING) {
                continue; // finished before this run: a retry runs only the items it re-queued
            }
            if (!runNext(job, item, retries)) {
                return;
            }
        }
        while (!retries.isEmpty()) {
            Retries.Due next = retries.next();
            if (!waitUntil(next.atNanos())) {
                queue.requeueRunning(job.id(), QueuedCause.STOPPED);
                return;
            }
            if (!runNext(job, next.item(), retries)) {
                return;
            }
        }
        if (queue.jobStatus(job.id()).orElse(null) == BatchJobStatus.RUNNING) {
            queue.markCompleted(job.id());
        }
    }

    /** Runs one item after the checks every item needs. @return {@code false} when the job's run is over */
    private boolean runNext(BatchJob<?> job, BatchItem<?> item, Retries retries) {
        if (!awaitUnpaused.getAsBoolean()) {
            queue.requeueRunning(job.id(), QueuedCause.STOPPED); // closing while paused
            return false;
        }
        if (queue.jobStatus(job.id()).orElse(null) != BatchJobStatus.RUNNING) {
            return false; // cancelled: the queue already announced its end
        }
        Optional<HandlerRegistration> handler = handlers.select(job.resourceKey());
        if (handler.isEmpty()) {
            logger.warn("No handler for model {} any more; job {} waits for one", job.resourceKey(), job.id());
            queue.requeueRunning(job.id(), QueuedCause.HANDLER_GONE);
            return false;
        }
        RunningItem.StopReason stopped = runItem(job, item, handler.get(), retries);
        if (stopped == RunningItem.StopReason.HANDLER_GONE || stopped == RunningItem.StopReason.STOPPING) {
            queue.requeueRunning(job.id(), stopped == RunningItem.StopReason.STOPPING ? QueuedCause.STOPPED
                    : QueuedCause.HANDLER_GONE);
            return false;
        }
        return true;
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

    /** @return why the call was stopped, or {@code null} if it ran to an outcome */
    private RunningItem.StopReason runItem(BatchJob<?> job, BatchItem<?> item, HandlerRegistration handler,
            Retries retries) {
        Object data = item.data();
        if (data instanceof JsonNode json) {
            Optional<String> recordedType = queue.restoredDataType(job.id());
            if (recordedType.isPresent()) {
                try {
                    data = RestoredData.convert(json, recordedType.get(), handler);
                } catch (IllegalStateException e) {
                    logger.error("Job {} item {}: {}", job.id(), item.id(), e.getMessage());
                    queue.tryUpdateItem(job.id(), item.id(), BatchItemStatus.FAILED, e.getMessage(), null, null);
                    return null;
                }
            }
        }
        Object input = data;
        if (job.overwritePolicy() == OverwritePolicy.SKIP) {
            try {
                if (handler.handler().shouldSkip(input, job.operation())) {
                    queue.tryUpdateItem(job.id(), item.id(), BatchItemStatus.SKIPPED, null, null, null);
                    return null;
                }
            } catch (Throwable e) { // a handler may throw anything, Errors included
                logFailure("shouldSkip", job, item, handler, e);
                queue.tryUpdateItem(job.id(), item.id(), BatchItemStatus.FAILED, "shouldSkip failed: "
                        + message(e), null, null);
                return null;
            }
        }
        if (!queue.tryUpdateItem(job.id(), item.id(), BatchItemStatus.RUNNING, null, null, null)) {
            return null; // cancelled meanwhile
        }
        retries.attempted(item);
        RunningItem context = new RunningItem(job.id(), item.id(), job.resourceKey(), job.operation(),
                item.sizeBucket(), handler.serviceId());
        inFlight.put(job.id(), context);
        if (!handlers.contains(handler.serviceId())) {
            context.stop(RunningItem.StopReason.HANDLER_GONE); // went away between selection and start
        }
        long started = System.nanoTime();
        try {
            Future<ItemResult> call = workers.submit(() -> handler.handler().process(input, context));
            context.attach(call);
            Outcome outcome = await(call, context, job, item, handler);
            if (outcome == null) {
                return context.stopReason();
            }
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (outcome.retryable && retries.allowAnother(item)
                    && queue.retryLater(job.id(), item.id(), outcome.error, durationMs)) {
                logger.info("Item {} of job {} failed ({}); attempt {} follows after a backoff", item.id(),
                        job.id(), outcome.error, retries.attemptsOf(item) + 1);
                retries.schedule(item);
                return null;
            }
            queue.tryUpdateItem(job.id(), item.id(), outcome.status, outcome.error, durationMs, outcome.output);
            return null;
        } finally {
            inFlight.remove(job.id(), context);
        }
    }

    private record Outcome(BatchItemStatus status, String error, String output, boolean retryable) {
        static Outcome failed(String error) {
            return new Outcome(BatchItemStatus.FAILED, error, null, false);
        }

        static Outcome mayPassAgain(String error) {
            return new Outcome(BatchItemStatus.FAILED, error, null, true);
        }
    }

    /** @return the outcome, or {@code null} when the call was stopped (see the context's stop reason) */
    private Outcome await(Future<ItemResult> call, RunningItem context, BatchJob<?> job, BatchItem<?> item,
            HandlerRegistration handler) {
        long timeoutMs = settings.get().itemTimeoutMs();
        try {
            ItemResult result = call.get(timeoutMs, TimeUnit.MILLISECONDS);
            if (context.isCancelled()) {
                return null; // late result of a stopped call: discarded
            }
            if (result == null) {
                return Outcome.failed("Handler returned no result (null)");
            }
            if (!result.isSuccess()) {
                String error = result.error() == null ? "Handler failed without an error message" : result.error();
                return result.isRetryable() ? Outcome.mayPassAgain(error) : Outcome.failed(error);
            }
            return new Outcome(BatchItemStatus.COMPLETED, null, result.output(), false);
        } catch (TimeoutException e) {
            context.stop(RunningItem.StopReason.CANCELLED);
            logger.warn("Item {} of job {} (model {}) timed out after {} ms in handler service {}", item.id(),
                    job.id(), job.resourceKey(), timeoutMs, handler.serviceId());
            return Outcome.mayPassAgain("Handler timed out after " + timeoutMs + " ms");
        } catch (CancellationException e) {
            return null;
        } catch (ExecutionException e) {
            if (context.isCancelled()) {
                return null;
            }
            logFailure("process", job, item, handler, e.getCause());
            Throwable cause = e.getCause();
            return cause instanceof RetryableException || cause instanceof java.io.IOException
                    ? Outcome.mayPassAgain(message(cause)) : Outcome.failed(message(cause));
        } catch (InterruptedException e) {
            context.stop(RunningItem.StopReason.STOPPING);
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void logFailure(String method, BatchJob<?> job, BatchItem<?> item, HandlerRegistration handler,
            Throwable e) {
        logger.warn("Handler service {} failed in {} for item {} of job {} (model {}, operation {})",
                handler.serviceId(), method, item.id(), job.id(), job.resourceKey(), job.operation(), e);
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }
}

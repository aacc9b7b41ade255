package ai.batch.queue.impl.executor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.osgi.service.log.Logger;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.ExecutorQueue;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.notify.QueueListener.QueuedCause;

/**
 * One run of a started job: its PENDING items, in order, then the items waiting for another attempt. Handler
 * calls happen on the runner thread itself (no hand-off per item); a handler declaring
 * {@code ai.batch.concurrency} above 1 gets that many lanes, the extra ones on lane threads, each taking the next
 * items from a shared cursor. A handler declaring {@code ai.batch.batchSize} above 1 gets up to that many
 * consecutive items per call (a micro-batch, see {@link BatchCall}); lanes then take a batch at a time. The runner
 * finishes the job once every lane is done. A call that hangs past its timeout is abandoned by the
 * {@link Watchdog}, which hands the caller's lane to a fresh thread.
 */
final class JobRun {

    /** What every run shares. */
    record Context(ExecutorQueue queue, HandlerRegistry handlers, Set<RunningCall> inFlight,
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
    /** Whether slots join and leave this run, the last one out ending the job (else the runner ends it). */
    private final boolean shared;
    private boolean closed; // guarded by this; shared runs only: no slot joins any more
    private final BatchCall calls;
    private final RunItems items;
    private final Retries retries;
    private volatile QueuedCause requeue;
    private volatile boolean over;
    private int activeLanes; // guarded by this

    JobRun(BatchJob<?> job, Context context) {
        this(job, context, false);
    }

    JobRun(BatchJob<?> job, Context context, boolean shared) {
        this.job = job;
        this.context = context;
        this.shared = shared;
        this.calls = new BatchCall(context, job);
        this.items = new RunItems(job.items(), context.settings());
        this.retries = items.retries;
    }

    /** Runs the job on the calling runner thread, with extra lanes when the handler allows them. */
    void run() {
        Optional<HandlerRegistration> handler = context.handlers().select(job.resourceKey());
        int batchSize = handler.map(HandlerRegistration::batchSize).orElse(1);
        int callCount = (job.items().size() + batchSize - 1) / batchSize; // lanes beyond one per call would idle
        int lanes = Math.max(1, Math.min(handler.map(HandlerRegistration::concurrency).orElse(1), callCount));
        synchronized (this) {
            activeLanes = lanes;
        }
        for (int i = 1; i < lanes; i++) {
            context.laneThreads().execute(() -> laneWork(null));
        }
        runnerWork();
    }

    /**
     * A slot joins a shared run with up to {@code lanes} lanes (on lane threads) and waits until they leave: when
     * no item is left to take, or the run ends early. The last lane out of the run ends the job.
     *
     * @return {@code false} if the run was over before the slot joined
     * @throws InterruptedException if the waiting slot thread is interrupted (its lanes go on)
     */
    boolean join(Lane lane, int lanes) throws InterruptedException {
        synchronized (this) {
            if (closed || over) {
                return false;
            }
            activeLanes += lanes;
            lane.active += lanes;
        }
        for (int i = 0; i < lanes; i++) {
            context.laneThreads().execute(() -> laneWork(lane));
        }
        synchronized (this) {
            while (lane.active > 0) {
                wait();
            }
        }
        return true;
    }

    /** @return whether a shared run has ended (no slot may join it) */
    synchronized boolean isClosed() {
        return closed;
    }

    /** @return how many items another slot could take now ({@link RunItems#untaken()}), or 0 once the run is over */
    int claimable() {
        return over ? 0 : items.untaken();
    }

    /** The runner's part: its own lane, then the end of the job once every lane is done. */
    void runnerWork() {
        work(true, null);
        laneDone(null);
        awaitLanes();
        finish();
    }

    /** Ends the job: back to the queue if the run ended early, else completed unless it was cancelled. */
    private void finish() {
        if (requeue != null) {
            context.queue().requeueRunning(job.id(), requeue);
        } else if (context.queue().jobStatus(job.id()).orElse(null) == BatchJobStatus.RUNNING) {
            context.queue().finishRunning(job.id());
        }
    }

    /** An extra lane's part; for a slot's lane ({@code lane} not {@code null}), with that slot's handler. */
    void laneWork(Lane lane) {
        try {
            work(false, lane);
        } catch (Abandoned e) {
            return; // a fresh thread carries on with this lane
        } catch (RuntimeException e) {
            context.logger().error("A lane of job {} failed unexpectedly; the job is put back in the queue",
                    job.id(), e);
            end(QueuedCause.STOPPED);
        }
        if (laneDone(lane)) {
            if (requeue == null && !over && items.untaken() > 0) {
                end(QueuedCause.HANDLER_GONE); // every slot left with work still to take: their handlers went away
            }
            try {
                finish();
            } catch (RuntimeException e) {
                context.logger().error("Ending job {} failed unexpectedly; it is put back in the queue", job.id(),
                        e);
                context.queue().requeueRunning(job.id(), QueuedCause.STOPPED);
            }
        }
    }

    private void work(boolean runnerRole, Lane lane) {
        while (!over && awaitWork()) {
            HandlerRegistration handler = lane == null ? checkedHandler() : checkedSlot(lane);
            if (handler == null) {
                return;
            }
            List<RunningItem> ready = prepareNext(handler);
            if (!ready.isEmpty()) {
                call(ready, handler, runnerRole, lane);
            }
        }
    }

    /** Ends the run early; the job goes back to the queue for {@code cause} once every lane is done. */
    void end(QueuedCause cause) {
        if (requeue == null) {
            requeue = cause;
        }
        over = true;
    }

    /**
     * A lane left the run.
     *
     * @return {@code true} if it was the last lane of a shared run, which must now end the job
     */
    private synchronized boolean laneDone(Lane lane) {
        activeLanes--;
        if (lane != null) {
            lane.active--;
        }
        notifyAll();
        if (shared && activeLanes == 0 && !closed) {
            closed = true;
            return true;
        }
        return false;
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

    /** @return {@code false} when nothing is left, or when interrupted (the executor is closing) */
    private boolean awaitWork() {
        RunItems.Wait wait = items.awaitWork();
        if (wait == RunItems.Wait.INTERRUPTED) {
            end(QueuedCause.STOPPED);
        }
        return wait == RunItems.Wait.READY;
    }

    /** The checks every call needs. @return the handler to call, or {@code null} when the run is over */
    private HandlerRegistration checkedHandler() {
        if (!context.awaitUnpaused().getAsBoolean()) {
            end(QueuedCause.STOPPED); // closing while paused
            return null;
        }
        if (context.queue().jobStatus(job.id()).orElse(null) != BatchJobStatus.RUNNING) {
            over = true; // cancelled: the queue already announced its end
            return null;
        }
        Optional<HandlerRegistration> handler = context.handlers().select(job.resourceKey());
        if (handler.isEmpty()) {
            context.logger().warn("No handler for model {} any more; job {} waits for one", job.resourceKey(),
                    job.id());
            end(QueuedCause.HANDLER_GONE);
            return null;
        }
        return handler.get();
    }

    /**
     * The checks every call of a slot's lane needs.
     *
     * @return the slot's handler, or {@code null} when this lane leaves: the run is over, or the slot's handler
     *         went away (the other slots go on; the last lane out puts the job back if work is left)
     */
    private HandlerRegistration checkedSlot(Lane lane) {
        if (!context.awaitUnpaused().getAsBoolean()) {
            end(QueuedCause.STOPPED);
            return null;
        }
        if (context.queue().jobStatus(job.id()).orElse(null) != BatchJobStatus.RUNNING) {
            over = true;
            return null;
        }
        return context.handlers().contains(lane.handler.serviceId()) ? lane.handler : null;
    }

    /**
     * Takes up to the handler's batch size of items and readies each one; items settled on the way (skipped,
     * unreadable data) or cancelled leave, and more are taken in their place while the job runs unpaused.
     *
     * @return the items marked RUNNING, in order; empty when none was left
     */
    private List<RunningItem> prepareNext(HandlerRegistration handler) {
        int size = handler.batchSize();
        List<RunningItem> ready = new ArrayList<>(size);
        for (boolean first = true; ready.size() < size && (first || stillRunning()); first = false) {
            List<BatchItem<?>> taken = items.take(size - ready.size());
            if (taken.isEmpty()) {
                break;
            }
            for (BatchItem<?> item : taken) {
                RunningItem running = calls.prepare(item, handler);
                if (running != null) {
                    ready.add(running);
                }
            }
        }
        return ready;
    }

    private boolean stillRunning() {
        return !over && !context.queue().isPaused()
                && context.queue().jobStatus(job.id()).orElse(null) == BatchJobStatus.RUNNING;
    }

    /** Makes one handler call for the ready items and settles each of them with its own outcome. */
    private void call(List<RunningItem> ready, HandlerRegistration handler, boolean runnerRole, Lane lane) {
        RunningCall call = new RunningCall(this, ready, handler.serviceId(), runnerRole, lane);
        context.inFlight().add(call);
        if (!context.handlers().contains(handler.serviceId())) {
            call.stop(RunningCall.StopReason.HANDLER_GONE); // went away between selection and start
        }
        BatchCall.Answer answer = calls.invoke(call, handler);
        boolean owned = call.returned();
        context.inFlight().remove(call);
        if (!owned) {
            throw new Abandoned();
        }
        long shareMs = call.durationShareMs();
        RunningCall.StopReason stopped = call.stopReason();
        if (stopped == RunningCall.StopReason.HANDLER_GONE || stopped == RunningCall.StopReason.STOPPING) {
            end(stopped == RunningCall.StopReason.STOPPING ? QueuedCause.STOPPED : QueuedCause.HANDLER_GONE);
            return;
        }
        if (stopped == RunningCall.StopReason.CANCELLED) {
            return; // late result of a cancelled call: discarded
        }
        List<Outcomes.Outcome> outcomes = stopped == RunningCall.StopReason.TIMED_OUT
                ? timedOut(call) : calls.outcomes(answer, call, handler);
        for (int i = 0; i < ready.size(); i++) {
            // an item cancelled during the call is CANCELLED already: the queue ignores its result
            record(ready.get(i), outcomes.get(i), shareMs, lane);
        }
        if (lane != null) {
            lane.itemsDone.add(ready.size());
        }
    }

    /** Records the outcomes of a call the watchdog abandoned after it timed out. */
    void recordAbandoned(RunningCall call) {
        long shareMs = call.durationShareMs();
        List<Outcomes.Outcome> outcomes = timedOut(call);
        for (int i = 0; i < call.items.size(); i++) {
            record(call.items.get(i), outcomes.get(i), shareMs, call.lane);
        }
    }

    /** @return the same outcome for every item of a call that timed out */
    private List<Outcomes.Outcome> timedOut(RunningCall call) {
        long itemTimeoutMs = context.settings().itemTimeoutMs();
        int count = call.items.size();
        long timeoutMs = TimeUnit.NANOSECONDS.toMillis(
                call.timeoutNanos(TimeUnit.MILLISECONDS.toNanos(itemTimeoutMs)));
        context.logger().warn("Handler service {} timed out after {} ms for {} of job {} (model {})",
                call.handlerServiceId, timeoutMs, call.describeItems(), job.id(), job.resourceKey());
        String error = count == 1 ? "Handler timed out after " + timeoutMs + " ms"
                : "Handler timed out after " + timeoutMs + " ms (" + itemTimeoutMs + " ms for each of the call's "
                        + count + " items)";
        return Collections.nCopies(count, Outcomes.Outcome.mayPassAgain(error));
    }

    /** Settles one item of a call; {@code lane} is the slot's lane that made it, or {@code null} outside slots. */
    private void record(RunningItem running, Outcomes.Outcome outcome, long durationMs, Lane lane) {
        String slot = lane == null ? null : lane.slot;
        BatchItem<?> item = running.item;
        int attempt = running.attempt;
        ExecutorQueue queue = context.queue();
        if (outcome.retryable() && retries.allowAnother(attempt, outcome.retryAfterMs())
                && queue.retryLater(job.id(), item.id(), outcome.error(), durationMs, slot)) {
            long waitMs = retries.schedule(item, attempt, outcome.retryAfterMs());
            context.logger().info("Item {} of job {} failed ({}); attempt {} follows in {} ms", item.id(), job.id(),
                    outcome.error(), attempt + 1, waitMs);
            return;
        }
        // a slot's lane knows whether its slot had to load the model; outside slots the job's start decides
        queue.tryUpdateItem(job.id(), item.id(), outcome.status(), outcome.error(), durationMs, outcome.output(),
                slot, lane == null ? null : lane.takeCold());
    }
}

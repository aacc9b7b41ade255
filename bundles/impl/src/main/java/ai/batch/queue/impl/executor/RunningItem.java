package ai.batch.queue.impl.executor;

import java.util.concurrent.Future;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.ItemContext;

/** The context of one handler call, and the means to stop it. */
final class RunningItem implements ItemContext {

    /** Why a call was stopped before it returned. */
    enum StopReason {
        /** The item or its job was cancelled: the item stays CANCELLED. */
        CANCELLED,
        /** The handler service went away: the item goes back to PENDING and the job waits. */
        HANDLER_GONE,
        /** The queue is stopping: the item goes back to PENDING. */
        STOPPING
    }

    private final String jobId;
    private final String itemId;
    private final String resourceKey;
    private final String operation;
    private final SizeBucket sizeBucket;
    final long handlerServiceId;
    private volatile StopReason stopReason;
    private Future<?> call;

    RunningItem(String jobId, String itemId, String resourceKey, String operation, SizeBucket sizeBucket,
            long handlerServiceId) {
        this.jobId = jobId;
        this.itemId = itemId;
        this.resourceKey = resourceKey;
        this.operation = operation;
        this.sizeBucket = sizeBucket;
        this.handlerServiceId = handlerServiceId;
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public String itemId() {
        return itemId;
    }

    @Override
    public String resourceKey() {
        return resourceKey;
    }

    @Override
    public String operation() {
        return operation;
    }

    @Override
    public SizeBucket sizeBucket() {
        return sizeBucket;
    }

    @Override
    public boolean isCancelled() {
        return stopReason != null;
    }

    StopReason stopReason() {
        return stopReason;
    }

    synchronized void attach(Future<?> handlerCall) {
        call = handlerCall;
        if (stopReason != null) {
            handlerCall.cancel(true);
        }
    }

    /** Flags the call as stopped and interrupts the handler's thread; the first reason wins. */
    synchronized void stop(StopReason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        if (call != null) {
            call.cancel(true);
        }
    }
}

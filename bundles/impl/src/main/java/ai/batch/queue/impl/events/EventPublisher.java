package ai.batch.queue.impl.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;
import ai.batch.queue.impl.models.ModelEvents;
import ai.batch.queue.impl.notify.PlanView;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * Delivers the queue's changes to EventAdmin, outside the queue's lock, with {@code sendEvent} on the thread that
 * delivers the queue's notifications (the queue's own notification thread in a running service): subscribers
 * see events in the order of the changes, asynchronously to the callers that made them, and a slow subscriber
 * holds back that one thread, whose bounded backlog then slows the queue down instead of letting EventAdmin's
 * queue grow without bound. Events that do not come from a queue notification (configuration, recovery) go
 * through {@code inOrder} to keep their place among the others. When no EventAdmin is bound, events are dropped.
 */
public final class EventPublisher implements QueueListener, ModelEvents {

    private final Supplier<EventAdmin> eventAdmin;
    private final Executor inOrder;
    private final ProgressThrottle throttle = new ProgressThrottle();
    /** At most one plan_changed event per this interval while the plan keeps changing; the last one always. */
    private static final long PLAN_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
    private long lastPlanNanos; // touched only by the thread delivering the queue's notifications
    private List<BatchJob<?>> heldPlan;

    /**
     * @param eventAdmin the current EventAdmin, or {@code null} when there is none
     * @param inOrder runs a delivery in order with the queue's notifications
     */
    public EventPublisher(Supplier<EventAdmin> eventAdmin, Executor inOrder) {
        this.eventAdmin = eventAdmin;
        this.inOrder = inOrder;
    }

    /**
     * Limits {@code item_started} and {@code item_progress} events to {@code perSecond} per job; the latest
     * progress held back is delivered before the next one and before the job's end, so the final state always
     * arrives. 0 turns the limit off: one event per item, as the contract says.
     */
    public void setProgressMaxRate(double perSecond) {
        throttle.setMaxRate(perSecond);
    }

    @Override
    public void jobQueued(BatchJob<?> job, QueuedCause cause) {
        throttle.held(job.id()).forEach(this::send);
        EventPayloads.Payload payload = jobPayload(job);
        payload.put(BatchEvents.CAUSE, cause.wireName());
        payload.put(BatchEvents.REORDERED, job.reordered());
        payload.put(BatchEvents.REORDER_NOTE, job.reorderNote());
        post(BatchEvents.TOPIC_JOB_QUEUED, EventPayloads.properties(payload));
    }

    @Override
    public void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
        if (!job.resourceKey().equals(previousResource)) {
            EventPayloads.Payload switched = EventPayloads.payload();
            switched.put(BatchEvents.JOB_ID, job.id());
            switched.put(BatchEvents.FROM_RESOURCE_KEY, previousResource);
            switched.put(BatchEvents.RESOURCE_KEY, job.resourceKey());
            switched.put(BatchEvents.REASON, switchReason);
            post(BatchEvents.TOPIC_RESOURCE_SWITCHED, EventPayloads.properties(switched));
        }
        post(BatchEvents.TOPIC_JOB_STARTED, EventPayloads.properties(jobPayload(job)));
    }

    @Override
    public void itemStarted(String jobId, BatchItem<?> item, String slot) {
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.JOB_ID, jobId);
        payload.put(BatchEvents.ITEM_ID, item.id());
        putSlot(payload, slot);
        payload.put(BatchEvents.SIZE_BUCKET, item.sizeBucket().wireName());
        Event event = event(BatchEvents.TOPIC_ITEM_STARTED, EventPayloads.properties(payload));
        if (event != null) {
            throttle.started(jobId, event).forEach(this::send);
        }
    }

    /** The {@code item_progress} event carries the job's remaining-time estimate. */
    @Override
    public boolean wantsItemEstimates() {
        return true;
    }

    @Override
    public void itemFinished(ItemProgress progress) {
        BatchItem<?> item = progress.item();
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.JOB_ID, progress.jobId());
        payload.put(BatchEvents.ITEM_ID, item.id());
        payload.put(BatchEvents.STATUS, item.status().wireName());
        payload.put(BatchEvents.COMPLETED, progress.completed());
        payload.put(BatchEvents.TOTAL, progress.total());
        payload.put(BatchEvents.ERROR, item.error());
        payload.put(BatchEvents.DURATION_MS, item.durationMs());
        payload.put(BatchEvents.ETA_REMAINING_MS, progress.etaRemainingMs());
        putSlot(payload, progress.slot());
        Event event = event(BatchEvents.TOPIC_ITEM_PROGRESS, EventPayloads.properties(payload));
        if (event != null) {
            throttle.progress(progress.jobId(), event).forEach(this::send);
        }
    }

    @Override
    public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
        throttle.ended(summary.jobId()).forEach(this::send);
        EventPayloads.Payload flat = EventPayloads.payload();
        flat.put(BatchEvents.JOB_ID, summary.jobId());
        flat.put(BatchEvents.OPERATION, summary.operation());
        flat.put(BatchEvents.RESOURCE_KEY, summary.resourceKey());
        flat.put(BatchEvents.STATUS, status.wireName());
        flat.put(BatchEvents.TOTAL, summary.total());
        flat.put(BatchEvents.SUCCEEDED, summary.succeeded());
        flat.put(BatchEvents.FAILED, summary.failed());
        flat.put(BatchEvents.SKIPPED, summary.skipped());
        flat.put(BatchEvents.TOTAL_DURATION_MS, summary.totalDurationMs());
        flat.put(BatchEvents.AVG_DURATION_MS, summary.avgDurationMs());
        EventPayloads.Payload json = EventPayloads.payload()
                .put(BatchEvents.JOB_ID, summary.jobId())
                .put(BatchEvents.OPERATION, summary.operation())
                .put(BatchEvents.RESOURCE_KEY, summary.resourceKey())
                .put(BatchEvents.TOTAL, summary.total())
                .put(BatchEvents.SUCCEEDED, summary.succeeded())
                .put(BatchEvents.FAILED, summary.failed())
                .put(BatchEvents.SKIPPED, summary.skipped())
                .put(BatchEvents.TOTAL_DURATION_MS, summary.totalDurationMs())
                .put(BatchEvents.AVG_DURATION_MS, summary.avgDurationMs());
        Map<String, Object> properties = EventPayloads.properties(flat);
        properties.put(BatchEvents.JSON, EventPayloads.payload().putJson("summary", json).json());
        post(BatchEvents.TOPIC_JOB_COMPLETED, properties);
    }

    @Override
    public void jobCancelled(BatchJob<?> job, boolean wasRunning) {
        throttle.held(job.id()).forEach(this::send);
        EventPayloads.Payload payload = jobPayload(job);
        payload.put(BatchEvents.WAS_RUNNING, wasRunning);
        post(BatchEvents.TOPIC_JOB_CANCELLED, EventPayloads.properties(payload));
    }

    @Override
    public void planChanged(List<BatchJob<?>> plan) {
        if (plan instanceof PlanView view && !view.isLatest()) {
            return; // a later notification brings the newer plan: only the latest is worth an event
        }
        long now = System.nanoTime();
        if (lastPlanNanos != 0 && now - lastPlanNanos < PLAN_INTERVAL_NANOS) {
            heldPlan = plan; // delivered by a later change or when the queue's notifications are idle
            return;
        }
        postPlan(plan, now);
    }

    /** Delivers the plan held back, if it is still the latest. */
    @Override
    public void idle() {
        List<BatchJob<?>> held = heldPlan;
        if (held != null && (!(held instanceof PlanView view) || view.isLatest())) {
            postPlan(held, System.nanoTime());
        }
        heldPlan = null;
    }

    private void postPlan(List<BatchJob<?>> plan, long now) {
        heldPlan = null;
        lastPlanNanos = now;
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.JOB_IDS, plan.stream().map(BatchJob::id).toArray(String[]::new));
        payload.put(BatchEvents.RESOURCE_KEYS, plan.stream().map(BatchJob::resourceKey).toArray(String[]::new));
        post(BatchEvents.TOPIC_PLAN_CHANGED, EventPayloads.properties(payload));
    }

    @Override
    public void itemRetryScheduled(String jobId, BatchItem<?> item, String slot) {
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.JOB_ID, jobId);
        payload.put(BatchEvents.ITEM_ID, item.id());
        putSlot(payload, slot);
        payload.put(BatchEvents.ERROR, item.error());
        payload.put(BatchEvents.ATTEMPTS, item.attempts());
        post(BatchEvents.TOPIC_ITEM_RETRY, EventPayloads.properties(payload));
    }

    @Override
    public void jobPurged(String jobId) {
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.JOB_ID, jobId);
        post(BatchEvents.TOPIC_JOB_PURGED, EventPayloads.properties(payload));
    }

    /** Says what recovery from the journal found. */
    public void journalRecovered(String directory, int records, int jobs, int requeued, long lost,
            List<String> problems, String movedTo) {
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.DIRECTORY, directory);
        payload.put(BatchEvents.RECORDS_RECOVERED, records);
        payload.put(BatchEvents.JOBS, jobs);
        payload.put(BatchEvents.REQUEUED, requeued);
        payload.put(BatchEvents.LOST, (int) Math.min(Integer.MAX_VALUE, lost)); // an Integer, as documented
        payload.put(BatchEvents.PROBLEMS, problems.isEmpty() ? null : problems.toArray(String[]::new));
        payload.put(BatchEvents.MOVED_TO, movedTo);
        postInOrder(BatchEvents.TOPIC_JOURNAL_RECOVERED, EventPayloads.properties(payload));
    }

    /** Says that the journal cannot be used and the queue runs in memory only. */
    public void persistenceFailed(String directory, String error) {
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.DIRECTORY, directory);
        payload.put(BatchEvents.ERROR, error);
        postInOrder(BatchEvents.TOPIC_PERSISTENCE_FAILED, EventPayloads.properties(payload));
    }

    @Override
    public void paused() {
        throttle.allHeld().forEach(this::send);
        post(BatchEvents.TOPIC_PAUSED, EventPayloads.properties(EventPayloads.payload()));
    }

    @Override
    public void resumed() {
        post(BatchEvents.TOPIC_RESUMED, EventPayloads.properties(EventPayloads.payload()));
    }

    @Override
    public void jobMoved(String jobId) {
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.JOB_ID, jobId);
        post(BatchEvents.TOPIC_JOB_MOVED, EventPayloads.properties(payload));
    }

    @Override
    public void priorityChanged(String jobId, JobPriority priority) {
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.JOB_ID, jobId);
        payload.put(BatchEvents.PRIORITY, priority.wireName());
        post(BatchEvents.TOPIC_JOB_PRIORITY_CHANGED, EventPayloads.properties(payload));
    }

    @Override
    public void loading(String resourceKey, String reason, String slot) {
        modelEvent(BatchEvents.TOPIC_MODEL_LOADING, resourceKey, reason, null, null, slot);
    }

    @Override
    public void loaded(String resourceKey, String reason, long durationMs, String error, String slot) {
        modelEvent(BatchEvents.TOPIC_MODEL_LOADED, resourceKey, reason, durationMs, error, slot);
    }

    @Override
    public void unloaded(String resourceKey, String reason, String error, String slot) {
        modelEvent(BatchEvents.TOPIC_MODEL_UNLOADED, resourceKey, reason, null, error, slot);
    }

    private void modelEvent(String topic, String resourceKey, String reason, Long durationMs, String error,
            String slot) {
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.RESOURCE_KEY, resourceKey);
        payload.put(BatchEvents.REASON, reason);
        if (durationMs != null) {
            payload.put(BatchEvents.DURATION_MS, durationMs);
        }
        payload.put(BatchEvents.ERROR, error);
        putSlot(payload, slot);
        postInOrder(topic, EventPayloads.properties(payload));
    }

    /** Says that a configuration took effect. */
    public void configured(boolean executorEnabled, int concurrentJobs, long itemTimeoutMs, long maxWaitMs) {
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.EXECUTOR_ENABLED, executorEnabled);
        payload.put(BatchEvents.CONCURRENT_JOBS, concurrentJobs);
        payload.put(BatchEvents.ITEM_TIMEOUT_MS, itemTimeoutMs);
        payload.put(BatchEvents.MAX_WAIT_MS, maxWaitMs);
        postInOrder(BatchEvents.TOPIC_CONFIGURED, EventPayloads.properties(payload));
    }

    private static EventPayloads.Payload jobPayload(BatchJob<?> job) {
        EventPayloads.Payload payload = EventPayloads.payload();
        payload.put(BatchEvents.JOB_ID, job.id());
        payload.put(BatchEvents.OPERATION, job.operation());
        payload.put(BatchEvents.RESOURCE_KEY, job.resourceKey());
        payload.put(BatchEvents.TOTAL_ITEMS, job.items().size());
        return payload;
    }

    private void post(String topic, Map<String, Object> properties) {
        Event event = event(topic, properties);
        if (event != null) {
            send(event);
        }
    }

    private void postInOrder(String topic, Map<String, Object> properties) {
        Event event = event(topic, properties);
        if (event != null) {
            inOrder.execute(() -> send(event));
        }
    }

    /** @return the event, or {@code null} when events are off or no EventAdmin is bound */
    private Event event(String topic, Map<String, Object> properties) {
        return eventAdmin.get() == null ? null : new Event(topic, properties);
    }

    private void send(Event event) {
        EventAdmin admin = eventAdmin.get();
        if (admin == null) {
            return;
        }
        try {
            admin.sendEvent(event);
        } catch (IllegalStateException unregistered) {
            // EventAdmin went away meanwhile: the event has no one to go to
        }
    }

    /** The slot, where the handler is one: plain handlers' events stay as they were, without the key. */
    private static void putSlot(EventPayloads.Payload payload, String slot) {
        if (slot != null) {
            payload.put(BatchEvents.SLOT, slot);
        }
    }
}

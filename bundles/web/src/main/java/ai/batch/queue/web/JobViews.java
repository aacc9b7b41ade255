package ai.batch.queue.web;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;

/**
 * The JSON the page reads: job summaries with progress counts and estimates, one job with its items, the plan
 * and the statistics. Built from the queue's public snapshots; item data is shown as text (at most
 * {@value #DATA_CHARS} characters) because its type is the plugin's business.
 */
final class JobViews {

    static final int DATA_CHARS = 500;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final BatchQueue queue;
    private final QueueActivity activity;

    JobViews(BatchQueue queue, QueueActivity activity) {
        this.queue = queue;
        this.activity = activity;
    }

    /** @return {@code {"paused":…,"jobs":[summary…]}}, jobs in the queue's order */
    ObjectNode jobs() {
        ObjectNode node = JSON.objectNode().put("paused", queue.isPaused());
        ArrayNode jobs = node.putArray("jobs");
        for (BatchJob<?> job : queue.listJobs()) {
            jobs.add(summary(job));
        }
        return node;
    }

    /**
     * @return the job's summary plus {@code items}
     * @throws NoSuchElementException for an unknown id
     */
    ObjectNode job(String jobId) {
        BatchJob<?> job = queue.getJob(jobId)
                .orElseThrow(() -> new NoSuchElementException("No job with id '" + jobId + "'"));
        ObjectNode node = summary(job);
        ArrayNode items = node.putArray("items");
        for (BatchItem<?> item : job.items()) {
            ObjectNode view = items.addObject().put("id", item.id()).put("status", item.status().wireName())
                    .put("error", item.error()).put("durationMs", item.durationMs())
                    .put("sizeBucket", item.sizeBucket().wireName()).put("output", item.output())
                    .put("attempts", item.attempts()).put("data", text(item.data()))
                    .put("model", job.resourceKey());
            view.set("earlierErrors", earlierErrors(job.id(), item));
            long[] times = activity.itemTimes(job.id(), item.id());
            view.put("startedAt", times == null || times[0] == 0 ? null : Instant.ofEpochMilli(times[0]).toString());
            view.put("finishedAt", times == null || times[1] == 0 ? null : Instant.ofEpochMilli(times[1]).toString());
        }
        return node;
    }

    /**
     * @return the planned order of queued jobs with their notes and expected starts, when the last planned job is
     *         expected to finish ({@code expectedFinish}, null when some job has no estimate yet, or nothing is
     *         queued or running), the model timeline, the slots ({@link SlotActivity#view}), and in fleet mode the
     *         fleet's nodes ({@link FleetNodes#view})
     */
    ObjectNode plan() {
        ObjectNode node = JSON.objectNode().put("paused", queue.isPaused());
        ArrayNode running = node.putArray("running");
        ArrayNode plan = node.putArray("plan");
        java.util.Set<String> runningIds = new java.util.HashSet<>();
        int position = 0;
        Instant finish = null;
        boolean known = true;
        for (BatchJob<?> job : queue.listJobs()) {
            boolean active = job.status() == BatchJobStatus.RUNNING || job.status() == BatchJobStatus.QUEUED;
            if (!active) {
                continue;
            }
            Optional<BatchEstimate> estimate = queue.estimate(job.id());
            Instant jobFinish = estimate.map(BatchEstimate::expectedFinish).orElse(null);
            known &= jobFinish != null;
            finish = jobFinish != null && (finish == null || jobFinish.isAfter(finish)) ? jobFinish : finish;
            if (job.status() == BatchJobStatus.RUNNING) {
                running.add(job.id());
                runningIds.add(job.id());
            } else {
                ObjectNode entry = plan.addObject().put("position", ++position).put("id", job.id())
                        .put("resourceKey", job.resourceKey()).put("operation", job.operation())
                        .put("priority", job.priority().wireName()).put("reordered", job.reordered())
                        .put("reorderNote", job.reorderNote()).put("items", job.items().size());
                estimate(entry, estimate);
            }
        }
        node.put("expectedFinish", known ? time(finish) : null);
        node.set("models", activity.models());
        node.set("slots", activity.slots().view(runningIds, System.currentTimeMillis()));
        node.set("nodes", activity.fleetNodes().view(System.currentTimeMillis()));
        return node;
    }

    /** @return counts by status, per-model charts and the queue's flags */
    ObjectNode stats() {
        List<BatchJob<?>> all = queue.listJobs();
        ObjectNode node = JSON.objectNode().put("paused", queue.isPaused()).put("queuedCount", queue.queuedCount())
                .put("hasRunningJob", queue.hasRunningJob()).put("loadedModel", activity.currentModel());
        Map<BatchJobStatus, Integer> jobs = new EnumMap<>(BatchJobStatus.class);
        Map<BatchItemStatus, Integer> items = new EnumMap<>(BatchItemStatus.class);
        for (BatchJob<?> job : all) {
            jobs.merge(job.status(), 1, Integer::sum);
            job.items().forEach(item -> items.merge(item.status(), 1, Integer::sum));
        }
        ObjectNode jobCounts = node.putObject("jobs");
        for (BatchJobStatus status : BatchJobStatus.values()) {
            jobCounts.put(status.wireName(), jobs.getOrDefault(status, 0));
        }
        ObjectNode itemCounts = node.putObject("items");
        for (BatchItemStatus status : BatchItemStatus.values()) {
            itemCounts.put(status.wireName(), items.getOrDefault(status, 0));
        }
        node.set("models", activity.charts());
        return node;
    }

    /** @return everything the page shows, for a new or lagging event stream */
    ObjectNode snapshot() {
        ObjectNode node = JSON.objectNode();
        node.set("jobs", jobs().get("jobs"));
        node.set("plan", plan());
        node.set("stats", stats());
        return node;
    }

    private ObjectNode summary(BatchJob<?> job) {
        int done = 0;
        int failed = 0;
        int skipped = 0;
        int cancelled = 0;
        int running = 0;
        for (BatchItem<?> item : job.items()) {
            switch (item.status()) {
                case COMPLETED -> done++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
                case CANCELLED -> cancelled++;
                case RUNNING -> running++;
                default -> {
                    // pending: total minus the rest
                }
            }
        }
        ObjectNode node = JSON.objectNode().put("id", job.id()).put("resourceKey", job.resourceKey())
                .put("operation", job.operation()).put("status", job.status().wireName())
                .put("priority", job.priority().wireName()).put("createdAt", time(job.createdAt()))
                .put("startedAt", time(job.startedAt())).put("completedAt", time(job.completedAt()))
                .put("reordered", job.reordered()).put("reorderNote", job.reorderNote())
                .put("total", job.items().size()).put("done", done).put("failed", failed).put("skipped", skipped)
                .put("cancelled", cancelled).put("running", running);
        estimate(node, job);
        return node;
    }

    private void estimate(ObjectNode node, BatchJob<?> job) {
        boolean active = job.status() == BatchJobStatus.QUEUED || job.status() == BatchJobStatus.RUNNING;
        estimate(node, active ? queue.estimate(job.id()) : Optional.empty());
    }

    private static void estimate(ObjectNode node, Optional<BatchEstimate> estimate) {
        node.put("remainingMs", estimate.map(BatchEstimate::remainingMs).orElse(null));
        node.put("expectedStart", estimate.map(e -> time(e.expectedStart())).orElse(null));
        node.put("expectedFinish", estimate.map(e -> time(e.expectedFinish())).orElse(null));
        node.put("confidence", estimate.map(BatchEstimate::confidence).orElse(null));
    }

    /**
     * The errors of the item's earlier attempts: those the dashboard saw, less the last one while it is still the
     * item's own error (shown beside it already).
     */
    private ArrayNode earlierErrors(String jobId, BatchItem<?> item) {
        ArrayNode errors = activity.itemErrors(jobId, item.id());
        int last = errors.size() - 1;
        if (last >= 0 && item.status() == BatchItemStatus.FAILED
                && errors.get(last).path("error").asText().equals(item.error())) {
            errors.remove(last);
        }
        return errors;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String text(Object data) {
        if (data == null) {
            return null;
        }
        String text = String.valueOf(data);
        return text.length() <= DATA_CHARS ? text : text.substring(0, DATA_CHARS) + "…";
    }
}

package ai.batch.queue.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.JobPriority;

/**
 * The REST surface below {@code <path>/api}, without HTTP: a method, the path's segments and the parameters in,
 * a status and JSON out. The queue's exceptions become typed errors with the queue's own message: unknown id 404
 * ({@link NoSuchElementException}), forbidden transition 409 ({@link IllegalStateException}), bad argument 400
 * ({@link IllegalArgumentException}, {@link NullPointerException}). Callers check {@link ActionGuard} before a
 * POST.
 */
final class QueueApi {

    /** Jobs one bulk request may name: the page's selection, bounded so one request stays short. */
    static final int MAX_BULK = 1_000;

    private static final List<String> BULK_ACTIONS = List.of("cancel", "retry", "priority", "purge");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final BatchQueue queue;
    private final JobViews views;

    QueueApi(BatchQueue queue, JobViews views) {
        this.queue = queue;
        this.views = views;
    }

    /**
     * Answers one request.
     *
     * @param method {@code GET} or {@code POST}
     * @param segments the path below {@code <path>/api}, split at '/', e.g. {@code [jobs, 42, cancel]}
     * @param parameters query parameters and the fields of a JSON body
     * @return the answer
     */
    ApiResponse handle(String method, List<String> segments, Map<String, String> parameters) {
        try {
            if ("GET".equals(method)) {
                return get(segments);
            }
            if ("POST".equals(method)) {
                return post(segments, parameters);
            }
            return ApiResponse.error(405, "Method " + method + " is not allowed here");
        } catch (NoSuchElementException e) {
            return ApiResponse.error(404, message(e));
        } catch (IllegalStateException e) {
            return ApiResponse.error(409, message(e));
        } catch (IllegalArgumentException | NullPointerException e) {
            return ApiResponse.error(400, message(e));
        }
    }

    private ApiResponse get(List<String> path) {
        if (path.size() == 1 && path.get(0).equals("jobs")) {
            return ApiResponse.ok(views.jobs());
        }
        if (path.size() == 2 && path.get(0).equals("jobs")) {
            return ApiResponse.ok(views.job(path.get(1)));
        }
        if (path.size() == 1 && path.get(0).equals("plan")) {
            return ApiResponse.ok(views.plan());
        }
        if (path.size() == 1 && path.get(0).equals("stats")) {
            return ApiResponse.ok(views.stats());
        }
        return isAction(path) ? ApiResponse.error(405, "Use POST for " + String.join("/", path)) : notFound(path);
    }

    private ApiResponse post(List<String> path, Map<String, String> parameters) {
        if (path.size() == 1) {
            switch (path.get(0)) {
                case "pause" -> {
                    queue.pause();
                    return done("paused", true);
                }
                case "resume" -> {
                    queue.resume();
                    return done("paused", false);
                }
                case "retry-failed" -> {
                    return retryAllFailed();
                }
                case "purge-finished" -> {
                    return ApiResponse.ok(JSON.objectNode().put("purged", queue.purgeFinished(Instant.MAX)));
                }
                case "bulk" -> {
                    return bulk(parameters);
                }
                default -> {
                    return notFoundOrGet(path);
                }
            }
        }
        if (path.size() == 3 && path.get(0).equals("jobs")) {
            String jobId = path.get(1);
            switch (path.get(2)) {
                case "cancel" -> queue.cancelJob(jobId);
                case "retry" -> queue.retryFailed(jobId);
                case "front" -> queue.moveToFront(jobId);
                case "priority" -> queue.setPriority(jobId, priority(parameters.get("priority")));
                default -> {
                    return notFound(path);
                }
            }
            return ApiResponse.ok(views.job(jobId));
        }
        if (path.size() == 5 && path.get(0).equals("jobs") && path.get(2).equals("items")
                && path.get(4).equals("cancel")) {
            queue.cancelItem(path.get(1), path.get(3));
            return ApiResponse.ok(views.job(path.get(1)));
        }
        return notFoundOrGet(path);
    }

    private ApiResponse retryAllFailed() {
        ObjectNode node = JSON.objectNode();
        ArrayNode retried = node.putArray("retried");
        for (BatchJob<?> job : queue.listJobs()) {
            boolean finished = job.status() != BatchJobStatus.QUEUED && job.status() != BatchJobStatus.RUNNING;
            if (finished && job.items().stream().anyMatch(item -> item.status() == BatchItemStatus.FAILED)) {
                try {
                    queue.retryFailed(job.id());
                    retried.add(job.id());
                } catch (NoSuchElementException | IllegalStateException e) {
                    // purged or retried by someone else meanwhile: nothing to do for this one
                }
            }
        }
        return ApiResponse.ok(node);
    }

    /**
     * One action on several jobs ({@code action}: cancel, retry, priority (with {@code priority}) or purge;
     * {@code ids}: job ids, one a line). Each job is tried on its own: one that has moved on (finished, purged) is
     * reported under {@code failed} with the queue's message and does not stop the others.
     */
    private ApiResponse bulk(Map<String, String> parameters) {
        String action = parameters.getOrDefault("action", "");
        String ids = parameters.get("ids");
        if (ids == null || ids.isBlank()) {
            throw new IllegalArgumentException("ids is missing: send the job ids to act on");
        }
        JobPriority priority = action.equals("priority") ? priority(parameters.get("priority")) : null;
        if (!BULK_ACTIONS.contains(action)) {
            throw new IllegalArgumentException("Unknown bulk action '" + action + "': use one of " + BULK_ACTIONS);
        }
        List<String> jobIds = ids.lines().map(String::trim).filter(id -> !id.isEmpty()).distinct().toList();
        if (jobIds.size() > MAX_BULK) {
            throw new IllegalArgumentException("At most " + MAX_BULK + " jobs at once, not " + jobIds.size());
        }
        ObjectNode node = JSON.objectNode().put("action", action);
        ArrayNode done = node.putArray("done");
        ArrayNode failed = node.putArray("failed");
        for (String jobId : jobIds) {
            try {
                switch (action) {
                    case "cancel" -> queue.cancelJob(jobId);
                    case "retry" -> queue.retryFailed(jobId);
                    case "priority" -> queue.setPriority(jobId, priority);
                    default -> queue.purge(jobId);
                }
                done.add(jobId);
            } catch (RuntimeException e) {
                failed.addObject().put("id", jobId).put("error", message(e));
            }
        }
        return ApiResponse.ok(node);
    }

    private static JobPriority priority(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("priority is missing: send priority=low, normal or high");
        }
        return JobPriority.fromWireName(value.trim());
    }

    private ApiResponse done(String key, boolean value) {
        return ApiResponse.ok(JSON.objectNode().put(key, value));
    }

    private ApiResponse notFoundOrGet(List<String> path) {
        boolean readable = path.size() == 1 && List.of("jobs", "plan", "stats").contains(path.get(0))
                || path.size() == 2 && path.get(0).equals("jobs");
        return readable ? ApiResponse.error(405, "Use GET for " + String.join("/", path)) : notFound(path);
    }

    private static boolean isAction(List<String> path) {
        return path.size() == 1
                && List.of("pause", "resume", "retry-failed", "purge-finished", "bulk").contains(path.get(0))
                || path.size() == 3 && path.get(0).equals("jobs")
                        && List.of("cancel", "retry", "front", "priority").contains(path.get(2))
                || path.size() == 5 && path.get(0).equals("jobs") && path.get(2).equals("items")
                        && path.get(4).equals("cancel");
    }

    private static ApiResponse notFound(List<String> path) {
        return ApiResponse.error(404, "No such resource: api/" + String.join("/", path));
    }

    private static String message(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}

package ai.batch.queue.impl.executor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.impl.handlers.HandlerRegistration;

/**
 * The handler-facing part of one call for the items a lane took: readies each item (restored data, the SKIP
 * policy, RUNNING), calls the handler once, and turns what it gave into one outcome per item. A handler without
 * a batch size is called through {@code process} for its one item; a handler declaring
 * {@code ai.batch.batchSize} is always called through {@code processBatch}, even for a single item, so it sees
 * one kind of call.
 */
final class BatchCall {

    /** What the call gave: its results (a copy, so the handler's list is read inside the call) or a throwable. */
    record Answer(List<ItemResult> results, Throwable thrown) {
    }

    private final JobRun.Context context;
    private final BatchJob<?> job;

    BatchCall(JobRun.Context context, BatchJob<?> job) {
        this.context = context;
        this.job = job;
    }

    /**
     * Readies an item for the call.
     *
     * @return the item marked RUNNING, or {@code null} when it was settled on the way (data that cannot be
     *         converted, skipped) or cancelled meanwhile
     */
    RunningItem prepare(BatchItem<?> item, HandlerRegistration handler) {
        Object input = input(item, handler);
        if (input == null || skipped(item, input, handler)) {
            return null;
        }
        if (!mark(item, BatchItemStatus.RUNNING, null, handler)) {
            return null; // cancelled meanwhile
        }
        return new RunningItem(job, item, input);
    }

    /**
     * An item's change before or instead of the call (no duration, no output), naming the handler's slot.
     *
     * @return {@code false} if the item was cancelled meanwhile
     */
    private boolean mark(BatchItem<?> item, BatchItemStatus status, String error, HandlerRegistration handler) {
        return context.queue().tryUpdateItem(job.id(), item.id(), status, error, null, null, handler.slot(), null);
    }

    /**
     * @return the item's data for the handler, or {@code null} if there is none or it cannot be converted (the
     *         item FAILED)
     */
    private Object input(BatchItem<?> item, HandlerRegistration handler) {
        Object data = item.data();
        if (data == null || data instanceof JsonNode json && json.isNull()) {
            // No handler can do anything with no data; failing the item says so, where passing it on would
            // leave each handler to fail in its own way (or, worse, to succeed on nothing).
            mark(item, BatchItemStatus.FAILED, "Item " + item.id() + " has no data (null): there is nothing to process",
                    handler);
            return null;
        }
        if (data instanceof JsonNode json) {
            Optional<String> recordedType = context.queue().restoredDataType(job.id());
            if (recordedType.isPresent()) {
                try {
                    return RestoredData.convert(json, recordedType.get(), handler);
                } catch (IllegalStateException e) {
                    context.logger().error("Job {} item {}: {}", job.id(), item.id(), e.getMessage());
                    mark(item, BatchItemStatus.FAILED, e.getMessage(), handler);
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
                mark(item, BatchItemStatus.SKIPPED, null, handler);
                return true;
            }
            return false;
        } catch (Throwable e) { // a handler may throw anything, Errors included
            Outcomes.logFailure(context.logger(), "shouldSkip", job, "item " + item.id(), handler.serviceId(), e);
            mark(item, BatchItemStatus.FAILED, "shouldSkip failed: " + Outcomes.message(e), handler);
            return true;
        }
    }

    /** Calls the handler for the call's items, unless the call was stopped before it began. */
    Answer invoke(RunningCall call, HandlerRegistration handler) {
        if (call.isStopped()) {
            return new Answer(null, null);
        }
        try {
            if (handler.batchSize() == 1) {
                RunningItem only = call.items.get(0);
                return new Answer(Collections.singletonList(handler.handler().process(only.input, only)), null);
            }
            List<Object> data = new ArrayList<>(call.items.size());
            call.items.forEach(item -> data.add(item.input));
            List<ItemResult> results = handler.handler().processBatch(Collections.unmodifiableList(data),
                    Collections.<ItemContext>unmodifiableList(call.items));
            return new Answer(results == null ? null : new ArrayList<>(results), null);
        } catch (Throwable e) { // a handler may throw anything, Errors included
            return new Answer(null, e);
        }
    }

    /**
     * @return one outcome per item of the call, at the same positions: a throw, a {@code null} list or a list of
     *         the wrong size fails every item alike (a throw that may pass lets each item try again)
     */
    List<Outcomes.Outcome> outcomes(Answer answer, RunningCall call, HandlerRegistration handler) {
        int count = call.items.size();
        if (answer.thrown() != null) {
            Outcomes.logFailure(context.logger(), handler.batchSize() == 1 ? "process" : "processBatch", job,
                    call.describeItems(), handler.serviceId(), answer.thrown());
            return Collections.nCopies(count, Outcomes.of(null, answer.thrown()));
        }
        List<ItemResult> results = answer.results();
        if (results == null) {
            return Collections.nCopies(count, Outcomes.Outcome.failed("Handler returned no results (null)"));
        }
        if (results.size() != count) {
            context.logger().warn("Handler service {} returned {} results from processBatch for {} of job {}",
                    handler.serviceId(), results.size(), call.describeItems(), job.id());
            return Collections.nCopies(count, Outcomes.Outcome.failed("Handler returned " + results.size()
                    + " results for " + count + " items"));
        }
        List<Outcomes.Outcome> outcomes = new ArrayList<>(count);
        results.forEach(result -> outcomes.add(Outcomes.of(result, null)));
        return outcomes;
    }
}

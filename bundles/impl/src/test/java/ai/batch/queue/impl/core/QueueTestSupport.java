package ai.batch.queue.impl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

/**
 * A fresh queue on a test clock with a recording listener, plus helpers to build jobs, drive them by hand and
 * check that a rejected call left the queue exactly as it was.
 */
abstract class QueueTestSupport {

    static final Instant T0 = Instant.parse("2026-05-04T12:00:00Z");

    MutableClock clock;
    RecordingListener events;
    List<Throwable> listenerFailures;
    CoreBatchQueue queue;

    @BeforeEach
    void createQueue() {
        clock = new MutableClock(T0);
        events = new RecordingListener();
        listenerFailures = new CopyOnWriteArrayList<>();
        queue = new CoreBatchQueue(clock, new ModelAwarePlanner(), (message, error) -> listenerFailures.add(error));
        queue.admin().listeners().add(events);
    }

    /** A job of SMALL items whose data is "data-" + id. */
    static BatchJob<String> job(String resourceKey, String operation, String... itemIds) {
        List<BatchItem<String>> items = new ArrayList<>();
        for (String id : itemIds) {
            items.add(BatchItem.of(id, "data-" + id, SizeBucket.SMALL));
        }
        return BatchJob.of(resourceKey, operation, OverwritePolicy.SKIP, items);
    }

    @SafeVarargs
    static BatchJob<String> jobOf(String resourceKey, String operation, BatchItem<String>... items) {
        return BatchJob.of(resourceKey, operation, OverwritePolicy.OVERWRITE, List.of(items));
    }

    static BatchItem<String> item(String id, SizeBucket bucket) {
        return BatchItem.of(id, "data-" + id, bucket);
    }

    /** Enqueues a llava tag job with the given caller id and items. */
    String enqueue(String id, String... itemIds) {
        return queue.enqueue(job("llava:13b", "tag", itemIds).withId(id));
    }

    BatchJob<?> get(String jobId) {
        return queue.getJob(jobId).orElseThrow();
    }

    BatchItem<?> item(String jobId, String itemId) {
        return get(jobId).items().stream().filter(item -> item.id().equals(itemId)).findFirst().orElseThrow();
    }

    BatchItemStatus itemStatus(String jobId, String itemId) {
        return item(jobId, itemId).status();
    }

    BatchJobStatus status(String jobId) {
        return get(jobId).status();
    }

    /** Runs a job and finishes its items with the given statuses (null: leave PENDING), then completes it. */
    void runToEnd(String jobId, BatchItemStatus... statuses) {
        queue.markRunning(jobId);
        List<? extends BatchItem<?>> items = get(jobId).items();
        for (int i = 0; i < statuses.length; i++) {
            if (statuses[i] != null) {
                queue.updateItem(jobId, items.get(i).id(), statuses[i],
                        statuses[i] == BatchItemStatus.FAILED ? "boom" : null, 10L * (i + 1));
            }
        }
        queue.markCompleted(jobId);
    }

    /** Everything observable about the queue, to compare before and after a call. */
    record QueueState(List<BatchJob<?>> jobs, int queuedCount, boolean hasRunningJob, Optional<BatchJob<?>> next,
            Map<String, Long> etaSamples, Map<String, OptionalLong> estimates, int notifications) {
    }

    QueueState state() {
        List<BatchJob<?>> jobs = queue.listJobs();
        Map<String, Long> samples = new LinkedHashMap<>();
        Map<String, OptionalLong> estimates = new LinkedHashMap<>();
        for (BatchJob<?> job : jobs) {
            for (SizeBucket bucket : SizeBucket.values()) {
                samples.put(job.resourceKey() + "|" + job.operation() + "|" + bucket,
                        queue.etaSampleCount(job.resourceKey(), job.operation(), bucket));
            }
            estimates.put(job.id(), queue.estimateRemainingMs(job.id()));
        }
        return new QueueState(jobs, queue.queuedCount(), queue.hasRunningJob(), queue.nextQueued(), samples,
                estimates, events.lines().size());
    }

    /**
     * Asserts that the call throws the given type with a message naming every part, and that the queue (jobs,
     * plan, counters, ETA statistics, notifications) is unchanged afterwards.
     */
    Throwable assertRejected(ThrowingCallable call, Class<? extends Throwable> type, String... messageParts) {
        QueueState before = state();
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(type);
        for (String part : messageParts) {
            assertThat(thrown.getMessage()).contains(part);
        }
        assertThat(state()).as("queue unchanged after %s", thrown).isEqualTo(before);
        return thrown;
    }

    /** Asserts that the call returns normally and changes nothing observable. */
    void assertNoOp(ThrowingCallable call) {
        QueueState before = state();
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("no-op call must not throw").isNull();
        assertThat(state()).as("queue unchanged").isEqualTo(before);
    }
}

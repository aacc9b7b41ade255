package ai.batch.queue.impl.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.testing.RecordingLogger;

class QueueExecutorTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final CoreBatchQueue queue = new CoreBatchQueue();
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final RecordingLogger log = new RecordingLogger();
    private final JobEnds jobEnds = new JobEnds(queue);
    private QueueExecutor executor;
    private long nextServiceId = 1;

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.close(5_000);
        }
    }

    private void start(boolean enabled, int concurrentJobs, long timeoutMs) {
        executor = new QueueExecutor(queue.executor(), handlers, QueueSettings.executor(enabled, concurrentJobs, timeoutMs,
                "test-queue"), log.logger());
    }

    private long register(String model, BatchItemHandler<?> handler) {
        long id = nextServiceId++;
        handlers.put(HandlerRegistration.of(handler, Map.of(BatchItemHandler.RESOURCE, model, "service.id", id)));
        return id;
    }

    private String enqueue(String model, Object... data) {
        List<BatchItem<Object>> items = new java.util.ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            items.add(BatchItem.of("i" + (i + 1), data[i], SizeBucket.SMALL));
        }
        return queue.enqueue(BatchJob.of(model, "tag", OverwritePolicy.OVERWRITE, items));
    }

    private BatchJob<?> awaitEnd(String jobId) throws InterruptedException {
        return jobEnds.await(jobId, DEADLINE);
    }

    private static BatchItemStatus status(BatchJob<?> job, int index) {
        return job.items().get(index).status();
    }

    @Test
    void enqueuedJobRunsAndKeepsOutputs() throws Exception {
        start(true, 1, 60_000);
        register("m", (data, context) -> ItemResult.successWithOutput("tags for " + data));
        BatchJob<?> done = awaitEnd(enqueue("m", "a.jpg", "b.jpg"));
        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(done.items()).extracting(BatchItem::output).containsExactly("tags for a.jpg", "tags for b.jpg");
        assertThat(done.items()).allSatisfy(item -> assertThat(item.durationMs()).isNotNull());
    }

    @Test
    void nullResultFailureWithoutMessageAndExceptionWithoutMessageFailWithClearErrors() throws Exception {
        start(true, 1, 60_000);
        register("m", (data, context) -> switch ((String) data) {
            case "null" -> null;
            case "silent" -> ItemResult.failure(null);
            default -> throw new UnsupportedOperationException();
        });
        BatchJob<?> done = awaitEnd(enqueue("m", "null", "silent", "throw"));
        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(done.items()).extracting(BatchItem::error).containsExactly(
                "Handler returned no result (null)", "Handler failed without an error message",
                UnsupportedOperationException.class.getName());
        assertThat(log.lines()).anyMatch(line -> line.startsWith("WARN Handler service"));
    }

    @Test
    void throwingShouldSkipFailsOnlyThatItem() throws Exception {
        start(true, 1, 60_000);
        register("m", new BatchItemHandler<String>() {
            @Override
            public ItemResult process(String data, ai.batch.queue.handler.ItemContext context) {
                return ItemResult.success();
            }

            @Override
            public boolean shouldSkip(String data, String operation) {
                if (data.equals("bad")) {
                    throw new IllegalStateException("cannot read " + data);
                }
                return false;
            }
        });
        String jobId = queue.enqueue(BatchJob.of("m", "tag", OverwritePolicy.SKIP, List.of(
                BatchItem.of("i1", "bad", SizeBucket.SMALL), BatchItem.of("i2", "good", SizeBucket.SMALL))));
        BatchJob<?> done = awaitEnd(jobId);
        assertThat(done.items().get(0).error()).isEqualTo("shouldSkip failed: cannot read bad");
        assertThat(status(done, 1)).isEqualTo(BatchItemStatus.COMPLETED);
    }

    @Test
    void itemTimeoutFailsTheItemInterruptsTheHandlerAndMovesOn() throws Exception {
        start(true, 1, 100);
        CountDownLatch interrupted = new CountDownLatch(1);
        register("m", (data, context) -> {
            if (data.equals("slow")) {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
            return ItemResult.success();
        });
        BatchJob<?> done = awaitEnd(enqueue("m", "slow", "fast"));
        assertThat(done.items().get(0).error()).contains("timed out after 100 ms");
        assertThat(status(done, 1)).isEqualTo(BatchItemStatus.COMPLETED);
        assertThat(interrupted.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void cancellingRunningItemDiscardsLateResult() throws Exception {
        start(true, 1, 60_000);
        BlockingQueue<String> started = new LinkedBlockingQueue<>();
        CountDownLatch returned = new CountDownLatch(1);
        register("m", (data, context) -> {
            started.add(context.itemId());
            if (data.equals("block")) {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    assertThat(context.isCancelled()).isTrue();
                }
                returned.countDown();
                return ItemResult.successWithOutput("late");
            }
            return ItemResult.success();
        });
        String jobId = enqueue("m", "block", "next");
        assertThat(started.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("i1");
        queue.cancelItem(jobId, "i1");
        BatchJob<?> done = awaitEnd(jobId);
        assertThat(returned.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(status(done, 0)).isEqualTo(BatchItemStatus.CANCELLED);
        assertThat(queue.getJob(jobId).orElseThrow().items().get(0).output()).isNull();
        assertThat(status(done, 1)).isEqualTo(BatchItemStatus.COMPLETED);
    }

    @Test
    void vanishedHandlerPutsTheJobBackUntilAnotherArrives() throws Exception {
        start(true, 1, 60_000);
        BlockingQueue<String> started = new LinkedBlockingQueue<>();
        long first = register("m", (data, context) -> {
            started.add(context.itemId());
            new CountDownLatch(1).await();
            return ItemResult.success();
        });
        String jobId = enqueue("m", "x", "y");
        assertThat(started.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("i1");

        handlers.remove(first);

        org.awaitility.Awaitility.await().atMost(DEADLINE)
                .until(() -> jobEnds.queuedCauses.contains(jobId + ":handlerGone"));
        BatchJob<?> waiting = queue.getJob(jobId).orElseThrow();
        assertThat(waiting.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(status(waiting, 0)).isEqualTo(BatchItemStatus.PENDING);

        register("m", (data, context) -> ItemResult.successWithOutput("second"));
        BatchJob<?> done = awaitEnd(jobId);
        assertThat(done.items()).extracting(BatchItem::output).containsExactly("second", "second");
    }

    @Test
    void disabledExecutorStartsNothingUntilEnabled() throws Exception {
        start(false, 1, 60_000);
        register("m", (data, context) -> ItemResult.success());
        String jobId = enqueue("m", "a");
        // Manual driving works because nothing else claims the job.
        assertThat(queue.nextQueued()).get().extracting(BatchJob::id).isEqualTo(jobId);
        String second = enqueue("m", "b");
        queue.markRunning(jobId);
        queue.cancelJob(jobId);

        executor.update(QueueSettings.executor(true, 1, 60_000, "test-queue"));
        assertThat(awaitEnd(second).status()).isEqualTo(BatchJobStatus.COMPLETED);
    }

    @Test
    void twoConcurrentJobsRunSideBySide() throws Exception {
        start(true, 2, 60_000);
        CountDownLatch bothRunning = new CountDownLatch(2);
        register("m", (data, context) -> {
            bothRunning.countDown();
            return bothRunning.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS) ? ItemResult.success()
                    : ItemResult.failure("the other job never ran at the same time");
        });
        String a = enqueue("m", "a");
        String b = enqueue("m", "b");
        assertThat(awaitEnd(a).status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(awaitEnd(b).status()).isEqualTo(BatchJobStatus.COMPLETED);
    }

    @Test
    void closingPutsTheRunningJobBackInTheQueue() throws Exception {
        start(true, 1, 60_000);
        BlockingQueue<String> started = new LinkedBlockingQueue<>();
        register("m", (data, context) -> {
            started.add(context.itemId());
            new CountDownLatch(1).await();
            return ItemResult.success();
        });
        String jobId = enqueue("m", "x");
        assertThat(started.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("i1");
        executor.close(5_000);
        executor = null;
        BatchJob<?> stopped = queue.getJob(jobId).orElseThrow();
        assertThat(stopped.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(status(stopped, 0)).isEqualTo(BatchItemStatus.PENDING);
        assertThat(jobEnds.queuedCauses).contains(jobId + ":stopped");
    }

    @Test
    void pauseStopsARunningJobBetweenItemsAndResumeContinuesIt() throws Exception {
        start(true, 1, 60_000);
        BlockingQueue<String> started = new LinkedBlockingQueue<>();
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        CountDownLatch firstFinished = new CountDownLatch(1);
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void itemFinished(ItemProgress progress) {
                if (progress.item().id().equals("i1")) {
                    firstFinished.countDown();
                }
            }
        });
        register("m", (data, context) -> {
            started.add(context.itemId());
            if (context.itemId().equals("i1")) {
                firstMayFinish.await();
            }
            return ItemResult.success();
        });
        String jobId = enqueue("m", "a", "b");
        assertThat(started.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("i1");

        queue.pause();
        firstMayFinish.countDown();
        assertThat(firstFinished.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        String other = enqueue("m", "c");

        // The runner checks the pause before every item; a started item would show in 'started'.
        BatchJob<?> paused = queue.getJob(jobId).orElseThrow();
        assertThat(paused.status()).isEqualTo(BatchJobStatus.RUNNING);
        assertThat(status(paused, 0)).isEqualTo(BatchItemStatus.COMPLETED);
        assertThat(status(paused, 1)).isEqualTo(BatchItemStatus.PENDING);

        queue.resume();
        assertThat(awaitEnd(jobId).status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(awaitEnd(other).status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(started).containsExactly("i2", "i1");
    }

    @Test
    void retryableFailuresAreTriedAgainUpToTheLimitAndPermanentOnesAreNot() throws Exception {
        executor = new QueueExecutor(queue.executor(), handlers, QueueSettings.executor(true, 1, 60_000, "test-queue").withRetries(3, 1, 5),
                log.logger());
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        register("m", (data, context) -> {
            int call = calls.computeIfAbsent((String) data, key -> new AtomicInteger()).incrementAndGet();
            return switch ((String) data) {
                case "flaky" -> call < 3 ? ItemResult.retryableFailure("busy, call " + call) : ItemResult.success();
                case "io" -> throw new java.io.IOException("connection reset, call " + call);
                case "retryable" -> throw new ai.batch.queue.handler.RetryableException("try later, call " + call);
                case "broken" -> throw new IllegalArgumentException("bad input");
                default -> ItemResult.success();
            };
        });
        BatchJob<?> done = awaitEnd(enqueue("m", "flaky", "io", "retryable", "broken", "fine"));

        assertThat(done.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.COMPLETED,
                BatchItemStatus.FAILED, BatchItemStatus.FAILED, BatchItemStatus.FAILED, BatchItemStatus.COMPLETED);
        assertThat(done.items()).extracting(BatchItem::attempts).containsExactly(3, 3, 3, 1, 1);
        assertThat(done.items().get(1).error()).isEqualTo("connection reset, call 3");
        assertThat(done.items().get(2).error()).isEqualTo("try later, call 3");
        assertThat(calls.get("broken")).hasValue(1);
    }

    @Test
    void withoutRetriesARetryableFailureFailsAtOnce() throws Exception {
        start(true, 1, 60_000);
        register("m", (data, context) -> ItemResult.retryableFailure("busy"));
        BatchJob<?> done = awaitEnd(enqueue("m", "x"));
        assertThat(done.items().get(0).status()).isEqualTo(BatchItemStatus.FAILED);
        assertThat(done.items().get(0).attempts()).isEqualTo(1);
    }

    @Test
    void invalidSettingsNameTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QueueSettings.executor(true, 0, 1, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("executor.concurrentJobs");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QueueSettings.executor(true, 1, 0, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item.timeout.ms");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QueueSettings.executor(true, 1, 1, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("executor.threadName");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QueueSettings.executor(true, 1, 1, "x").withRetries(0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry.maxAttempts");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QueueSettings.executor(true, 1, 1, "x").withRetries(2, 10, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry.maxBackoffMs");
    }
}

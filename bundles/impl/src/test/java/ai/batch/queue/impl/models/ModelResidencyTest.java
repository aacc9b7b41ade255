package ai.batch.queue.impl.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.plan.ModelAwarePlanner;
import ai.batch.queue.impl.testing.RecordingLogger;

/**
 * The queue steering a runtime's models through its lifecycle service: what is loaded shapes the plan, the next
 * model is loaded ahead when there is room and time, idle models are unloaded, and a failing or hanging service
 * never holds the queue up. The queue runs in manual mode; every wait has a deadline.
 */
class ModelResidencyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final CoreBatchQueue queue = new CoreBatchQueue(Clock.systemUTC(), new ModelAwarePlanner(),
            (message, error) -> { });
    private final LifecycleRegistry lifecycles = new LifecycleRegistry();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final RecordingLogger log = new RecordingLogger();
    private ModelResidency residency;

    private final ModelEvents recorder = new ModelEvents() {
        @Override
        public void loading(String resourceKey, String reason, String slot) {
            events.add("loading " + resourceKey + " " + reason + (slot == null ? "" : " on " + slot));
        }

        @Override
        public void loaded(String resourceKey, String reason, long durationMs, String error, String slot) {
            events.add("loaded " + resourceKey + " " + reason + (error == null ? "" : " error: " + error));
        }

        @Override
        public void unloaded(String resourceKey, String reason, String error, String slot) {
            events.add("unloaded " + resourceKey + " " + reason + (error == null ? "" : " error: " + error));
        }
    };

    @AfterEach
    void close() {
        if (residency != null) {
            residency.close();
        }
    }

    private static QueueSettings settings(boolean preload, long keepWarmMs, boolean releaseOnPause, long timeoutMs) {
        QueueSettings base = QueueSettings.executor(false, 1, 60_000, "residency-test");
        return new QueueSettings(base.executorEnabled(), base.concurrentJobs(), base.itemTimeoutMs(),
                base.threadNamePrefix(), base.retryMaxAttempts(), base.retryInitialBackoffMs(),
                base.retryMaxBackoffMs(), base.plannerMaxWaitMs(), false, "", base.compactAfterRecords(),
                base.retentionMaxAgeMs(), base.retentionMaxFinishedJobs(), true, base.eventsMaxBacklog(), 0, preload,
                keepWarmMs, releaseOnPause, timeoutMs, base.stealFactor());
    }

    private Map<String, Object> lifecycleProperties = Map.of(BatchItemHandler.RESOURCE, "*", "service.id", 7L);

    private void start(FakeLifecycle lifecycle, QueueSettings settings) {
        lifecycles.put(lifecycle, lifecycleProperties);
        residency = new ModelResidency(queue, queue.admin(), lifecycles, recorder, settings, log.logger());
        queue.admin().listeners().add(residency);
    }

    private String enqueue(String id, String model, int items) {
        List<BatchItem<String>> list = new java.util.ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(BatchItem.of("i" + i, "data", SizeBucket.SMALL));
        }
        return queue.enqueue(BatchJob.of(model, "tag", OverwritePolicy.OVERWRITE, list).withId(id));
    }

    private void complete(String jobId, String itemId, long ms) {
        queue.updateItem(jobId, itemId, BatchItemStatus.RUNNING, null, null);
        queue.updateItem(jobId, itemId, BatchItemStatus.COMPLETED, null, ms);
    }

    @Test
    void aModelTheRuntimeHoldsIsPlannedAsLoaded() {
        FakeLifecycle runtime = new FakeLifecycle(2, "moondream");
        enqueue("older", "llava:13b", 1);
        enqueue("newer", "moondream", 1);
        assertThat(queue.nextQueued()).map(BatchJob::id).contains("older");

        start(runtime, settings(false, 0, false, 5_000));

        Awaitility.await().atMost(DEADLINE).until(() -> queue.nextQueued().map(BatchJob::id).orElse(""),
                "newer"::equals);
        BatchJob<?> newer = queue.getJob("newer").orElseThrow();
        assertThat(newer.reordered()).isTrue();
        assertThat(newer.reorderNote()).contains("model 'moondream' is already loaded");
    }

    /** A llava job runs and has finished one item; a moondream job waits: the moment for a preload. */
    private FakeLifecycle firstItemDoneWithAnotherModelNext(int capacity) throws Exception {
        FakeLifecycle runtime = new FakeLifecycle(capacity);
        start(runtime, settings(true, 0, false, 5_000));
        enqueue("first", "llava:13b", 3);
        enqueue("second", "moondream", 1);
        queue.markRunning("first");
        runtime.servedLazily("llava:13b");
        complete("first", "i0", 40);
        residency.sync();
        return runtime;
    }

    @Test
    void theNextModelIsLoadedWhileTheCurrentJobRunsWhenThereIsRoom() throws Exception {
        FakeLifecycle runtime = firstItemDoneWithAnotherModelNext(2);

        assertThat(runtime.calls).contains("load moondream");
        assertThat(queue.getJob("first").orElseThrow().status()).as("loaded while the first job still runs")
                .isEqualTo(BatchJobStatus.RUNNING);
        assertThat(events).contains("loading moondream preload", "loaded moondream preload");
        assertThat(queue.admin().loadTimeMs("moondream")).as("the measured load teaches the estimate").isPresent();
    }

    @Test
    void aRuntimeThatIsASlotIsNamedInTheModelEvents() throws Exception {
        lifecycleProperties = Map.of(BatchItemHandler.RESOURCE, "*", "service.id", 7L, BatchItemHandler.SLOT,
                "gpu-box-1");
        firstItemDoneWithAnotherModelNext(2);

        assertThat(events).contains("loading moondream preload on gpu-box-1");
    }

    @Test
    void theSlotsHearWhatTheirRuntimesHold() {
        lifecycleProperties = Map.of(BatchItemHandler.RESOURCE, "*", "service.id", 7L, BatchItemHandler.SLOT,
                "gpu-box-1");
        List<Map<String, java.util.Set<String>>> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(new FakeLifecycle(2, "moondream"), settings(false, 0, false, 5_000));
        residency.connectSlots(told::add, jobId -> java.util.Set.of());

        Awaitility.await().atMost(DEADLINE).until(() -> told.contains(Map.of("gpu-box-1", java.util.Set.of(
                "moondream"))));
    }

    @Test
    void aPreloadGoesToTheRuntimeOfTheSlotRunningTheJob() throws Exception {
        FakeLifecycle other = new FakeLifecycle(2);
        lifecycles.put(other, Map.of(BatchItemHandler.RESOURCE, "*", "service.id", 5L, BatchItemHandler.SLOT, "a"));
        lifecycleProperties = Map.of(BatchItemHandler.RESOURCE, "*", "service.id", 7L, BatchItemHandler.SLOT, "b");
        FakeLifecycle running = new FakeLifecycle(2);
        start(running, settings(true, 0, false, 5_000));
        residency.connectSlots(bySlot -> { }, jobId -> jobId.equals("first") ? java.util.Set.of("b")
                : java.util.Set.of());
        enqueue("first", "llava:13b", 3);
        enqueue("second", "moondream", 1);
        queue.markRunning("first");
        running.servedLazily("llava:13b");
        complete("first", "i0", 40);
        residency.sync();

        assertThat(running.calls).as("beside the job, on slot b").contains("load moondream");
        assertThat(other.calls).as("not on slot a, though its service is preferred").doesNotContain("load moondream");
    }

    @Test
    void noPreloadWithoutRoomForBothModels() throws Exception {
        FakeLifecycle runtime = firstItemDoneWithAnotherModelNext(1);

        assertThat(runtime.calls).noneMatch(call -> call.startsWith("load"));
    }

    @Test
    void aModelNoJobNeedsMakesRoomForTheNextOne() throws Exception {
        FakeLifecycle runtime = new FakeLifecycle(2);
        start(runtime, settings(true, 0, false, 5_000));
        enqueue("done", "bakllava", 1);
        queue.markRunning("done");
        runtime.servedLazily("bakllava");
        complete("done", "i0", 30);
        queue.markCompleted("done");
        residencyRefreshed(runtime); // it knows the runtime holds bakllava
        enqueue("first", "llava:13b", 3);
        enqueue("second", "moondream", 1);
        runtime.servedLazily("llava:13b"); // the runtime is full: bakllava and llava
        queue.markRunning("first");
        complete("first", "i0", 40);
        residency.sync();

        assertThat(runtime.calls).containsSubsequence("unload bakllava", "load moondream");
        assertThat(events).contains("unloaded bakllava room", "loaded moondream preload");
        assertThat(runtime.held()).containsExactlyInAnyOrder("llava:13b", "moondream");
    }

    @Test
    void thePreloadStartsWhenTheRunningJobEndsSoonerThanTheLoadPlusAMargin() throws Exception {
        FakeLifecycle runtime = new FakeLifecycle(2);
        start(runtime, settings(true, 0, false, 5_000));
        queue.admin().recordLoadTime("moondream", 3_000); // learned earlier: moondream takes 3 s to load
        enqueue("earlier", "llava:13b", 1); // teaches that a llava item takes 2 s
        queue.markRunning("earlier");
        complete("earlier", "i0", 2_000);
        queue.markCompleted("earlier");
        enqueue("first", "llava:13b", 5);
        enqueue("second", "moondream", 1);
        queue.markRunning("first"); // 10 s of work ahead
        runtime.servedLazily("llava:13b");
        for (int i = 0; i < 2; i++) {
            complete("first", "i" + i, 2_000); // 3 items of 2 s left: 6 s > 3 s load + 1.5 s margin
        }
        residency.sync();
        assertThat(runtime.calls).as("6 s of work left, the load takes 3 s").doesNotContain("load moondream");

        complete("first", "i2", 2_000); // 4 s left: a load started later than now would end after the switch
        residency.sync();
        assertThat(runtime.calls).contains("load moondream");
    }

    @Test
    void aPreloadNotDueYetIsLookedAtAgainWhileOneLongCallRuns() throws Exception {
        FakeLifecycle runtime = new FakeLifecycle(2);
        start(runtime, settings(true, 0, false, 5_000));
        queue.admin().recordLoadTime("moondream", 1_000);
        enqueue("earlier", "llava:13b", 1); // teaches that a llava item takes 2 s
        queue.markRunning("earlier");
        complete("earlier", "i0", 2_000);
        queue.markCompleted("earlier");
        enqueue("first", "llava:13b", 2);
        enqueue("second", "moondream", 1);
        queue.markRunning("first");
        runtime.servedLazily("llava:13b");
        // one micro-batch call holds both items: no item ends until the preload should have begun
        queue.updateItem("first", "i0", BatchItemStatus.RUNNING, null, null);
        queue.updateItem("first", "i1", BatchItemStatus.RUNNING, null, null);
        residency.sync();
        assertThat(runtime.calls).as("4 s of work left, the load takes 1 s").doesNotContain("load moondream");

        Awaitility.await().atMost(DEADLINE).until(() -> runtime.calls.contains("load moondream"));
        assertThat(queue.getJob("first").orElseThrow().items()).extracting(BatchItem::status)
                .containsOnly(BatchItemStatus.RUNNING);
    }

    @Test
    void thePreloadLeadIsTheLoadTimePlusAMargin() {
        assertThat(ResidencyRules.preloadLeadMs(300)).isEqualTo(800);
        assertThat(ResidencyRules.preloadLeadMs(3_000)).isEqualTo(4_500);
    }

    @Test
    void thePreloadCountsTheQueuedJobsOfTheRunningModelAheadOfTheNextModel() throws Exception {
        FakeLifecycle runtime = new FakeLifecycle(2);
        start(runtime, settings(true, 0, false, 5_000));
        queue.admin().recordLoadTime("moondream", 5_000);
        enqueue("earlier", "llava:13b", 1); // teaches that a llava item takes 2 s
        queue.markRunning("earlier");
        complete("earlier", "i0", 2_000);
        queue.markCompleted("earlier");
        enqueue("first", "llava:13b", 1);
        enqueue("then", "llava:13b", 1);
        enqueue("next-model", "moondream", 1);
        queue.markRunning("first");
        residency.sync();

        assertThat(runtime.calls).as("4 s of llava work before moondream's turn, its load takes 5 s")
                .contains("load moondream");
        assertThat(queue.getJob("then").orElseThrow().status()).isEqualTo(BatchJobStatus.QUEUED);
    }

    @Test
    void aModelWithoutWorkIsUnloadedAfterTheKeepWarmTime() {
        FakeLifecycle runtime = new FakeLifecycle(2);
        start(runtime, settings(false, 150, false, 5_000));
        enqueue("only", "llava:13b", 1);
        queue.markRunning("only");
        runtime.servedLazily("llava:13b");
        complete("only", "i0", 10);
        queue.markCompleted("only");

        Awaitility.await().atMost(DEADLINE).until(() -> !runtime.held().contains("llava:13b"));
        assertThat(events).contains("unloaded llava:13b idle");
    }

    @Test
    void modelsTheQueueNeverUsedAreLeftAlone() throws Exception {
        FakeLifecycle runtime = new FakeLifecycle(2, "someone-elses-model");
        start(runtime, settings(false, 50, true, 5_000));
        queue.pause();
        residency.sync();
        Awaitility.await().atMost(DEADLINE).until(() -> runtime.calls.stream().filter("list"::equals).count() >= 3);
        assertThat(runtime.held()).contains("someone-elses-model");
        assertThat(runtime.calls).noneMatch(call -> call.startsWith("unload"));
    }

    @Test
    void pausingReleasesTheModelsWhenConfigured() {
        FakeLifecycle runtime = new FakeLifecycle(2);
        start(runtime, settings(false, 0, true, 5_000));
        enqueue("first", "llava:13b", 2);
        queue.markRunning("first");
        runtime.servedLazily("llava:13b");
        complete("first", "i0", 10);
        Awaitility.await().atMost(DEADLINE).until(() -> queue.admin().modelsWithWork().contains("llava:13b")
                && runtime.calls.contains("list"));
        residencyRefreshed(runtime);

        queue.pause();

        Awaitility.await().atMost(DEADLINE).until(() -> runtime.held().isEmpty());
        assertThat(events).contains("unloaded llava:13b paused");
    }

    /** Waits until the residency has listed the runtime after the model was loaded. */
    private void residencyRefreshed(FakeLifecycle runtime) {
        int listed = (int) runtime.calls.stream().filter("list"::equals).count();
        residency.lifecyclesChanged();
        Awaitility.await().atMost(DEADLINE)
                .until(() -> runtime.calls.stream().filter("list"::equals).count() > listed);
    }

    @Test
    void aHangingLoadIsGivenUpAtItsDeadlineAndTheQueueGoesOn() {
        FakeLifecycle runtime = new FakeLifecycle(2);
        runtime.hangUntil = new CountDownLatch(1);
        try {
            start(runtime, settings(true, 0, false, 500));
            enqueue("first", "llava:13b", 2);
            enqueue("second", "moondream", 1);
            queue.markRunning("first");
            Awaitility.await().atMost(DEADLINE).until(() -> runtime.calls.contains("load moondream"));

            // The load hangs on the models thread; the queue itself goes on.
            complete("first", "i0", 10);
            complete("first", "i1", 10);
            queue.markCompleted("first");
            queue.markRunning("second");
            assertThat(queue.getJob("second").orElseThrow().status()).isEqualTo(BatchJobStatus.RUNNING);

            Awaitility.await().atMost(DEADLINE).until(() -> events.stream().anyMatch(event -> event.startsWith(
                    "loaded moondream preload error: Model lifecycle")));
            assertThat(events).anyMatch(event -> event.contains("load 'moondream' did not answer within 500 ms"));
            assertThat(queue.admin().loadTimeMs("moondream")).isEmpty();
        } finally {
            runtime.hangUntil.countDown();
        }
    }

    @Test
    void aFailingRuntimeIsReportedAndNothingElseChanges() throws Exception {
        FakeLifecycle runtime = new FakeLifecycle(2);
        runtime.failing = true;
        start(runtime, settings(true, 0, false, 5_000));
        enqueue("first", "llava:13b", 2);
        enqueue("second", "moondream", 1);
        queue.markRunning("first");
        complete("first", "i0", 10);
        residency.sync();

        assertThat(events).anyMatch(event -> event.startsWith("loaded moondream preload error:")
                && event.contains("runtime down"));
        assertThat(queue.admin().loadTimeMs("moondream")).as("a failed load teaches nothing").isEmpty();
        complete("first", "i1", 10);
        assertThat(queue.markCompleted("first").succeeded()).isEqualTo(2);
    }
}

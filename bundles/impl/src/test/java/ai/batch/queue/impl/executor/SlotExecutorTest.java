package ai.batch.queue.impl.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

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

/** Handlers that declare slots share the work of their models; plain handlers keep one handler per model. */
class SlotExecutorTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final CoreBatchQueue queue = new CoreBatchQueue();
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final RecordingLogger log = new RecordingLogger();
    private final JobEnds jobEnds = new JobEnds(queue);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> switches = new CopyOnWriteArrayList<>();
    private final Map<String, String> startedOn = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> finishedOn = new java.util.concurrent.ConcurrentHashMap<>();
    private QueueExecutor executor;

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.close(5_000);
        }
    }

    private void start(int concurrentJobs) {
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
                events.add("started " + job.id());
                if (switchReason != null) {
                    switches.add(job.id() + " from " + previousResource);
                }
            }

            @Override
            public void itemStarted(String jobId, BatchItem<?> item, String slot) {
                startedOn.put(jobId + "/" + item.id(), String.valueOf(slot));
            }

            @Override
            public void itemFinished(ItemProgress progress) {
                finishedOn.put(progress.jobId() + "/" + progress.item().id(), String.valueOf(progress.slot()));
                events.add("progress " + progress.jobId() + " " + progress.completed() + "/" + progress.total());
            }

            @Override
            public void jobEnded(ai.batch.queue.BatchCompletionSummary summary, BatchJobStatus status) {
                events.add("ended " + summary.jobId());
            }
        });
        executor = new QueueExecutor(queue.executor(), handlers,
                QueueSettings.executor(true, concurrentJobs, 60_000, "slot-test"), log.logger());
    }

    private String enqueue(String model, int count) {
        List<BatchItem<Object>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(BatchItem.of("i" + i, "data" + i, SizeBucket.SMALL));
        }
        return queue.enqueue(BatchJob.of(model, "tag", OverwritePolicy.OVERWRITE, items));
    }

    @Test
    void threeSlotsShareOneJobWhichStaysOneJobToObservers() throws Exception {
        List<SlotRuntime> runtimes = List.of(new SlotRuntime("a", 0, 20), new SlotRuntime("b", 0, 20),
                new SlotRuntime("c", 0, 20));
        start(1);
        for (int i = 0; i < runtimes.size(); i++) {
            handlers.put(runtimes.get(i).registration(i + 1, "m"));
        }
        String id = enqueue("m", 60);
        BatchJob<?> done = jobEnds.await(id, DEADLINE);

        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(done.items()).extracting(BatchItem::status).containsOnly(BatchItemStatus.COMPLETED);
        Set<String> slotsUsed = new HashSet<>();
        done.items().forEach(item -> slotsUsed.add(item.output()));
        assertThat(slotsUsed).as("every slot ran items of the job").containsExactlyInAnyOrder("a", "b", "c");
        int ranTotal = runtimes.stream().mapToInt(runtime -> runtime.ran.size()).sum();
        assertThat(ranTotal).as("no item ran twice").isEqualTo(60);
        assertThat(runtimes).allSatisfy(runtime -> assertThat(runtime.overlaps).hasValue(0));
        for (BatchItem<?> item : done.items()) {
            assertThat(startedOn.get(id + "/" + item.id())).as("item_started names the slot that ran %s", item.id())
                    .isEqualTo(item.output());
            assertThat(finishedOn.get(id + "/" + item.id())).as("item_progress names the slot that ran %s",
                    item.id()).isEqualTo(item.output());
        }

        // the job's end reaches this test's listener just after the one that woke the test
        org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> events.contains("ended " + id));
        List<String> ofJob = events.stream().filter(e -> e.contains(id)).toList();
        assertThat(ofJob.get(0)).isEqualTo("started " + id);
        assertThat(ofJob.get(ofJob.size() - 1)).isEqualTo("ended " + id);
        assertThat(ofJob).filteredOn(e -> e.startsWith("started")).hasSize(1);
        List<String> progress = ofJob.stream().filter(e -> e.startsWith("progress")).toList();
        assertThat(progress).hasSize(60);
        for (int i = 0; i < 60; i++) {
            assertThat(progress.get(i)).isEqualTo("progress " + id + " " + (i + 1) + "/60");
        }
    }

    @Test
    void fiveModelsOnThreeSlotsLoadEachModelFewTimes() throws Exception {
        List<SlotRuntime> runtimes = List.of(new SlotRuntime("a", 60, 5), new SlotRuntime("b", 60, 5),
                new SlotRuntime("c", 60, 5));
        start(1);
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int m = 1; m <= 5; m++) {
                ids.add(enqueue("m" + m, 6));
            }
        }
        for (int i = 0; i < runtimes.size(); i++) {
            handlers.put(runtimes.get(i).registration(i + 1, "*"));
        }
        for (String id : ids) {
            assertThat(jobEnds.await(id, DEADLINE).status()).isEqualTo(BatchJobStatus.COMPLETED);
        }
        int loads = runtimes.stream().mapToInt(runtime -> runtime.loads.get()).sum();
        System.out.println("loads per slot: " + runtimes.stream().map(r -> r.slot + "=" + r.loads).toList());
        assertThat(loads).as("loads counted by the runtimes: at most models + slots").isLessThanOrEqualTo(5 + 3);
        assertThat(executor.slots()).extracting(SlotState.Status::id).containsExactly("a", "b", "c");
        assertThat(executor.slots().stream().mapToLong(SlotState.Status::items).sum()).isEqualTo(90);
    }

    @Test
    void plainHandlersKeepOneHandlerPerModelBesideSlots() throws Exception {
        SlotRuntime slot = new SlotRuntime("a", 0, 1);
        List<String> plainRan = new CopyOnWriteArrayList<>();
        start(2);
        handlers.put(slot.registration(1, "*"));
        BatchItemHandler<Object> plain = (data, context) -> {
            plainRan.add(context.itemId());
            return ItemResult.successWithOutput("plain");
        };
        handlers.put(HandlerRegistration.of(plain, Map.of(BatchItemHandler.RESOURCE, "p", "service.id", 2L)));

        BatchJob<?> plainJob = jobEnds.await(enqueue("p", 5), DEADLINE);
        BatchJob<?> slotJob = jobEnds.await(enqueue("q", 5), DEADLINE);

        assertThat(plainJob.items()).extracting(BatchItem::output).containsOnly("plain");
        assertThat(plainRan).hasSize(5);
        assertThat(slotJob.items()).extracting(BatchItem::output).containsOnly("a");
        for (BatchItem<?> item : plainJob.items()) {
            assertThat(finishedOn.get(plainJob.id() + "/" + item.id())).as("a plain handler's items name no slot")
                    .isEqualTo("null");
        }
    }

    @Test
    void aSlotStaysOnTheModelItsRuntimeSaysItHolds() throws Exception {
        SlotRuntime a = new SlotRuntime("a", 50, 5).holding("m2");
        start(1);
        executor.slotResidents(Map.of("a", Set.of("m2")));
        String first = enqueue("m1", 4);
        String second = enqueue("m2", 4);
        handlers.put(a.registration(1, "m1", "m2"));

        jobEnds.await(first, DEADLINE);
        jobEnds.await(second, DEADLINE);
        assertThat(events.stream().filter(e -> e.startsWith("started")).toList())
                .as("the model the runtime holds first, though planned second")
                .containsExactly("started " + second, "started " + first);
        assertThat(a.loads).as("only m1 was loaded").hasValue(1);
        assertThat(executor.slots().get(0).loads()).as("the slot counts the same").isEqualTo(1);
        assertThat(switches).as("a start on the model the slot holds is no switch; m1 is one, from m2")
                .containsExactly(first + " from m2");
        org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> queue.admin().loadTimeMs("m1").isPresent());
        assertThat(queue.admin().loadTimeMs("m2")).as("m2 never loaded: no cold sample").isEmpty();
    }

    @Test
    void aSlotThatGoesAwayLeavesItsModelToTheOthers() throws Exception {
        SlotRuntime a = new SlotRuntime("a", 0, 30);
        SlotRuntime b = new SlotRuntime("b", 0, 30);
        start(1);
        handlers.put(a.registration(1, "m"));
        handlers.put(b.registration(2, "m"));
        String id = enqueue("m", 40);
        org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> a.ran.size() >= 3 && b.ran.size() >= 3);
        handlers.remove(1);

        BatchJob<?> done = jobEnds.await(id, DEADLINE);
        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(done.items()).extracting(BatchItem::status).containsOnly(BatchItemStatus.COMPLETED);
        assertThat(done.items().stream().filter(item -> "b".equals(item.output())).count())
                .as("b finished what a left").isGreaterThan(20);
    }
}

package ai.batch.queue.impl.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

class EventPublisherTest {

    private final RecordingEventAdmin eventAdmin = new RecordingEventAdmin();
    private CoreBatchQueue queue;

    @BeforeEach
    void setUp() {
        queue = new CoreBatchQueue(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC),
                new ModelAwarePlanner(), (message, error) -> {
                    throw new AssertionError(message, error);
                });
        publisher = new EventPublisher(() -> eventAdmin, Runnable::run);
        queue.admin().listeners().add(publisher);
    }

    private EventPublisher publisher;

    private String enqueueTwoItems() {
        return queue.enqueue(BatchJob.of("llava:13b", "tag", OverwritePolicy.SKIP, List.of(
                BatchItem.of("a", "a.jpg", SizeBucket.SMALL), BatchItem.of("b", "b.jpg", SizeBucket.SMALL)))
                .withId("job-1"));
    }

    @Test
    void jobStartedCarriesContractPropertiesAndSeedJson() {
        enqueueTwoItems();
        queue.markRunning("job-1");
        Event started = eventAdmin.topic(BatchEvents.TOPIC_JOB_STARTED).get(0);
        assertThat(started.getProperty(BatchEvents.JOB_ID)).isEqualTo("job-1");
        assertThat(started.getProperty(BatchEvents.TOTAL_ITEMS)).isEqualTo(2);
        assertThat(started.getProperty(BatchEvents.JSON)).isEqualTo(
                "{\"jobId\":\"job-1\",\"operation\":\"tag\",\"resourceKey\":\"llava:13b\",\"totalItems\":2}");
        Event switched = eventAdmin.topic(BatchEvents.TOPIC_RESOURCE_SWITCHED).get(0);
        assertThat(switched.getProperty(BatchEvents.FROM_RESOURCE_KEY)).isNull();
        assertThat(switched.getProperty(BatchEvents.JSON)).isEqualTo(
                "{\"jobId\":\"job-1\",\"fromResourceKey\":null,\"resourceKey\":\"llava:13b\",\"reason\":\"first model to load\"}");
    }

    @Test
    void itemEventsNameTheSlotThatRanTheItem() {
        enqueueTwoItems();
        queue.markRunning("job-1");
        queue.executor().tryUpdateItem("job-1", "a", BatchItemStatus.RUNNING, null, null, null, "gpu-box-2", null);
        queue.executor().retryLater("job-1", "a", "busy", 5L, "gpu-box-2");
        queue.executor().tryUpdateItem("job-1", "a", BatchItemStatus.RUNNING, null, null, null, "gpu-box-1", null);
        queue.executor().tryUpdateItem("job-1", "a", BatchItemStatus.COMPLETED, null, 7L, "ok", "gpu-box-1", null);

        assertThat(eventAdmin.topic(BatchEvents.TOPIC_ITEM_STARTED)).extracting(e -> e.getProperty(BatchEvents.SLOT))
                .containsExactly("gpu-box-2", "gpu-box-1");
        Event retry = eventAdmin.topic(BatchEvents.TOPIC_ITEM_RETRY).get(0);
        assertThat(retry.getProperty(BatchEvents.SLOT)).isEqualTo("gpu-box-2");
        Event progress = eventAdmin.topic(BatchEvents.TOPIC_ITEM_PROGRESS).get(0);
        assertThat(progress.getProperty(BatchEvents.SLOT)).isEqualTo("gpu-box-1");
        assertThat((String) progress.getProperty(BatchEvents.JSON)).endsWith(",\"slot\":\"gpu-box-1\"}");
    }

    @Test
    void itemProgressLeavesNullPropertiesOutButKeepsThemInJson() {
        enqueueTwoItems();
        queue.markRunning("job-1");
        queue.updateItem("job-1", "a", BatchItemStatus.FAILED, "model crashed", null);
        Event progress = eventAdmin.topic(BatchEvents.TOPIC_ITEM_PROGRESS).get(0);
        assertThat(progress.getPropertyNames()).doesNotContain(BatchEvents.DURATION_MS,
                BatchEvents.ETA_REMAINING_MS);
        assertThat(progress.getProperty(BatchEvents.ERROR)).isEqualTo("model crashed");
        assertThat(progress.getProperty(BatchEvents.JSON)).isEqualTo("{\"jobId\":\"job-1\",\"itemId\":\"a\","
                + "\"status\":\"failed\",\"completed\":1,\"total\":2,\"error\":\"model crashed\",\"durationMs\":null,"
                + "\"etaRemainingMs\":null}");
    }

    @Test
    void itemProgressCarriesTypedNumbersAndEta() {
        enqueueTwoItems();
        queue.markRunning("job-1");
        queue.updateItem("job-1", "a", BatchItemStatus.COMPLETED, null, 1_000L);
        Event progress = eventAdmin.topic(BatchEvents.TOPIC_ITEM_PROGRESS).get(0);
        assertThat(progress.getProperty(BatchEvents.COMPLETED)).isEqualTo(1);
        assertThat(progress.getProperty(BatchEvents.TOTAL)).isEqualTo(2);
        assertThat(progress.getProperty(BatchEvents.DURATION_MS)).isEqualTo(1_000L);
        assertThat(progress.getProperty(BatchEvents.ETA_REMAINING_MS)).isEqualTo(1_000L);
        assertThat(progress.getProperty(BatchEvents.STATUS)).isEqualTo("completed");
    }

    @Test
    void jobCompletedCarriesSummaryPropertiesAndWrappedJson() {
        enqueueTwoItems();
        queue.markRunning("job-1");
        queue.updateItem("job-1", "a", BatchItemStatus.COMPLETED, null, 100L);
        queue.updateItem("job-1", "b", BatchItemStatus.FAILED, "x", 51L);
        queue.markCompleted("job-1");
        Event completed = eventAdmin.topic(BatchEvents.TOPIC_JOB_COMPLETED).get(0);
        assertThat(completed.getProperty(BatchEvents.STATUS)).isEqualTo("completedWithErrors");
        assertThat(completed.getProperty(BatchEvents.SUCCEEDED)).isEqualTo(1);
        assertThat(completed.getProperty(BatchEvents.FAILED)).isEqualTo(1);
        assertThat(completed.getProperty(BatchEvents.TOTAL_DURATION_MS)).isEqualTo(151L);
        assertThat(completed.getProperty(BatchEvents.AVG_DURATION_MS)).isEqualTo(75L);
        assertThat(completed.getProperty(BatchEvents.JSON)).isEqualTo("{\"summary\":{\"jobId\":\"job-1\","
                + "\"operation\":\"tag\",\"resourceKey\":\"llava:13b\",\"total\":2,\"succeeded\":1,\"failed\":1,"
                + "\"skipped\":0,\"totalDurationMs\":151,\"avgDurationMs\":75}}");
    }

    @Test
    void cancellingRunningJobPostsCancelledAndCompletedOnceWithoutPerItemProgress() {
        enqueueTwoItems();
        queue.markRunning("job-1");
        queue.cancelJob("job-1");
        queue.markCompleted("job-1");
        assertThat(eventAdmin.topic(BatchEvents.TOPIC_JOB_CANCELLED)).hasSize(1);
        List<Event> completed = eventAdmin.topic(BatchEvents.TOPIC_JOB_COMPLETED);
        assertThat(completed).hasSize(1);
        assertThat(completed.get(0).getProperty(BatchEvents.STATUS)).isEqualTo("cancelled");
        assertThat(completed.get(0).getProperty(BatchEvents.SKIPPED)).isEqualTo(2);
        assertThat(eventAdmin.topic(BatchEvents.TOPIC_ITEM_PROGRESS)).isEmpty();
    }

    @Test
    void queuedEventSaysWhyAndPlanChangedListsTheOrder() {
        enqueueTwoItems();
        queue.enqueue(BatchJob.of("moondream", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("c", "c.jpg", SizeBucket.LARGE))).withId("job-2"));
        queue.enqueue(BatchJob.of("llava:13b", "caption", OverwritePolicy.SKIP,
                List.of(BatchItem.of("d", "d.jpg", SizeBucket.LARGE))).withId("job-3"));
        Event queued = eventAdmin.topic(BatchEvents.TOPIC_JOB_QUEUED).get(2);
        assertThat(queued.getProperty(BatchEvents.CAUSE)).isEqualTo("enqueued");
        assertThat(queued.getProperty(BatchEvents.REORDERED)).isEqualTo(true);
        assertThat((String) queued.getProperty(BatchEvents.REORDER_NOTE)).contains("job-2");
        List<Event> plans = eventAdmin.topic(BatchEvents.TOPIC_PLAN_CHANGED);
        assertThat((String[]) plans.get(plans.size() - 1).getProperty(BatchEvents.JOB_IDS))
                .containsExactly("job-1", "job-3", "job-2");
    }

    @Test
    void withoutEventAdminNothingIsPostedAndNothingFails() {
        CoreBatchQueue quiet = new CoreBatchQueue();
        quiet.admin().listeners().add(new EventPublisher(() -> null, Runnable::run));
        quiet.enqueue(BatchJob.of("m", "op", OverwritePolicy.SKIP, List.of(BatchItem.of("a", 1, SizeBucket.SMALL))));
        assertThat(quiet.queuedCount()).isEqualTo(1);
    }

    @Test
    void configuredEventReportsTheSettings() {
        new EventPublisher(() -> eventAdmin, Runnable::run).configured(false, 2, 5_000L, 60_000L);
        Event configured = eventAdmin.topic(BatchEvents.TOPIC_CONFIGURED).get(0);
        assertThat(configured.getProperty(BatchEvents.EXECUTOR_ENABLED)).isEqualTo(false);
        assertThat(configured.getProperty(BatchEvents.CONCURRENT_JOBS)).isEqualTo(2);
        assertThat(configured.getProperty(BatchEvents.ITEM_TIMEOUT_MS)).isEqualTo(5_000L);
    }

    @Test
    void withAProgressRateTheLatestProgressStillArrivesBeforeTheJobsEnd() {
        publisher.setProgressMaxRate(0.5); // a burst within one interval: only its first item event passes
        List<BatchItem<String>> items = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(BatchItem.of("i" + i, "x", SizeBucket.SMALL));
        }
        queue.enqueue(BatchJob.of("m", "tag", OverwritePolicy.OVERWRITE, items).withId("fast"));
        queue.markRunning("fast");
        for (int i = 0; i < 100; i++) {
            queue.updateItem("fast", "i" + i, BatchItemStatus.COMPLETED, null, 1L);
        }
        queue.markCompleted("fast");

        List<String> topics = eventAdmin.posted.stream().map(Event::getTopic)
                .filter(topic -> topic.startsWith("ai_batch/item") || topic.equals(BatchEvents.TOPIC_JOB_COMPLETED))
                .toList();
        assertThat(topics).containsExactly(BatchEvents.TOPIC_ITEM_PROGRESS, BatchEvents.TOPIC_ITEM_PROGRESS,
                BatchEvents.TOPIC_JOB_COMPLETED);
        List<Event> progress = eventAdmin.topic(BatchEvents.TOPIC_ITEM_PROGRESS);
        assertThat(progress.get(1).getProperty(BatchEvents.COMPLETED)).isEqualTo(100);
        assertThat(progress.get(1).getProperty(BatchEvents.ITEM_ID)).isEqualTo("i99");
    }

    @Test
    void planChangesAreCoalescedAndTheLatestPlanAlwaysArrives() {
        CoreBatchQueue threaded = new CoreBatchQueue(Clock.systemUTC(), new ModelAwarePlanner(), (message, error) -> {
            throw new AssertionError(message, error);
        });
        threaded.admin().deliverOnThread(100_000, 10_000, "publisher-test-events");
        threaded.admin().listeners().add(new EventPublisher(() -> eventAdmin, threaded.admin()::runInOrder));
        try {
            for (int i = 0; i < 500; i++) {
                threaded.enqueue(BatchJob.of("m", "tag", OverwritePolicy.SKIP,
                        List.of(BatchItem.of("a", "x", SizeBucket.SMALL))).withId("p" + i));
            }
            threaded.admin().flushNotifications();
        } finally {
            threaded.admin().closeNotifications();
        }
        List<Event> plans = eventAdmin.topic(BatchEvents.TOPIC_PLAN_CHANGED);
        assertThat(plans.size()).as("plan_changed events for 500 enqueues").isBetween(1, 250);
        String[] last = (String[]) plans.get(plans.size() - 1).getProperty(BatchEvents.JOB_IDS);
        assertThat(last).hasSize(500).startsWith("p0", "p1").endsWith("p499");
        assertThat(eventAdmin.topic(BatchEvents.TOPIC_JOB_QUEUED)).hasSize(500);
    }
}

package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MixedBatchIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    private BundleContext context;

    @Inject
    private BatchQueue queue;

    @Configuration
    public Option[] config() {
        return TestOptions.runtime();
    }

    static BatchJob<String> job(String model, String operation, String... itemData) {
        List<BatchItem<String>> items = new java.util.ArrayList<>();
        for (int i = 0; i < itemData.length; i++) {
            items.add(BatchItem.of(operation + "-" + (i + 1), itemData[i], SizeBucket.MEDIUM));
        }
        return BatchJob.of(model, operation, OverwritePolicy.OVERWRITE, items);
    }

    @Test
    public void mixedModelBatchRunsInPlannedOrderWithContractEvents() throws Exception {
        try (EventRecorder events = new EventRecorder(context); Handlers handlers = new Handlers(context)) {
            String llavaTag = queue.enqueue(job("llava:13b", "tag", "cat.jpg", "dog.jpg"));
            String moondream = queue.enqueue(job("moondream", "tag", "sunset.jpg"));
            String llavaCaption = queue.enqueue(job("llava:13b", "caption", "cat.jpg"));

            // No handler yet: everything waits, in planned order.
            List<String> planned = queue.listJobs().stream().filter(j -> j.status() == BatchJobStatus.QUEUED)
                    .map(BatchJob::id).collect(Collectors.toList());
            assertEquals(List.of(llavaTag, llavaCaption, moondream), planned);
            assertTrue(queue.getJob(llavaCaption).orElseThrow().reordered());
            assertFalse(queue.getJob(llavaTag).orElseThrow().reordered());

            handlers.register("any", "*");
            events.awaitCompleted(moondream);

            List<String> started = events.all().stream()
                    .filter(e -> e.getTopic().equals(BatchEvents.TOPIC_JOB_STARTED))
                    .map(e -> (String) e.getProperty(BatchEvents.JOB_ID)).collect(Collectors.toList());
            assertEquals(List.of(llavaTag, llavaCaption, moondream), started);

            Event start = events.of(BatchEvents.TOPIC_JOB_STARTED, llavaTag).get(0);
            assertEquals("llava:13b", start.getProperty(BatchEvents.RESOURCE_KEY));
            assertEquals("tag", start.getProperty(BatchEvents.OPERATION));
            assertEquals(2, start.getProperty(BatchEvents.TOTAL_ITEMS));
            assertEquals("{\"jobId\":\"" + llavaTag + "\",\"operation\":\"tag\",\"resourceKey\":\"llava:13b\","
                    + "\"totalItems\":2}", start.getProperty(BatchEvents.JSON));

            List<Event> progress = events.of(BatchEvents.TOPIC_ITEM_PROGRESS, llavaTag);
            assertEquals(2, progress.size());
            for (int i = 0; i < 2; i++) {
                Event event = progress.get(i);
                assertEquals("tag-" + (i + 1), event.getProperty(BatchEvents.ITEM_ID));
                assertEquals("completed", event.getProperty(BatchEvents.STATUS));
                assertEquals(i + 1, event.getProperty(BatchEvents.COMPLETED));
                assertEquals(2, event.getProperty(BatchEvents.TOTAL));
                assertNull(event.getProperty(BatchEvents.ERROR));
                assertTrue(event.getProperty(BatchEvents.DURATION_MS) instanceof Long);
                JsonNode json = JSON.readTree((String) event.getProperty(BatchEvents.JSON));
                assertEquals(List.of("jobId", "itemId", "status", "completed", "total", "error", "durationMs",
                        "etaRemainingMs"), fieldNames(json));
                assertTrue(json.get("error").isNull());
            }
            // After the last item nothing remains: the estimate is exactly 0.
            assertEquals(0L, progress.get(1).getProperty(BatchEvents.ETA_REMAINING_MS));

            Event completed = events.awaitCompleted(llavaTag);
            assertEquals("completed", completed.getProperty(BatchEvents.STATUS));
            assertEquals(2, completed.getProperty(BatchEvents.SUCCEEDED));
            assertEquals(0, completed.getProperty(BatchEvents.FAILED));
            assertEquals(0, completed.getProperty(BatchEvents.SKIPPED));
            assertEquals(2, completed.getProperty(BatchEvents.TOTAL));
            JsonNode summary = JSON.readTree((String) completed.getProperty(BatchEvents.JSON)).get("summary");
            assertNotNull(summary);
            assertEquals(List.of("jobId", "operation", "resourceKey", "total", "succeeded", "failed", "skipped",
                    "totalDurationMs", "avgDurationMs"), fieldNames(summary));
            assertEquals(llavaTag, summary.get("jobId").asText());

            BatchJob<?> done = queue.getJob(llavaTag).orElseThrow();
            assertEquals(BatchJobStatus.COMPLETED, done.status());
            assertEquals("any:cat.jpg", done.items().get(0).output());
            assertEquals(BatchItemStatus.COMPLETED, done.items().get(1).status());
            assertNotNull(done.startedAt());
            assertNotNull(done.completedAt());
            assertFalse(queue.hasRunningJob());
            assertEquals(0, queue.queuedCount());

            // The model was loaded twice (llava, then moondream), not three times.
            long switches = events.all().stream()
                    .filter(e -> e.getTopic().equals(BatchEvents.TOPIC_RESOURCE_SWITCHED)).count();
            assertEquals(2, switches);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

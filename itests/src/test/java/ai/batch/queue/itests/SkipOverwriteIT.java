package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.event.Event;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SkipOverwriteIT extends QueueTestSupport {

    @Test
    public void skipPolicySkipsItemsTheHandlerReportsAsDone() {
        ScriptedHandler handler = handlers.register("tagger", "skip-model").handler();
        String jobId = queue.enqueue(job("skip-model", "tag", OverwritePolicy.SKIP, "done-a", "new-b", "done-c"));

        Event completed = awaitCompleted(jobId, "completed");
        assertEquals(1, completed.getProperty(BatchEvents.SUCCEEDED));
        assertEquals(2, completed.getProperty(BatchEvents.SKIPPED));

        BatchJob<?> job = snapshot(jobId);
        assertEquals(List.of(BatchItemStatus.SKIPPED, BatchItemStatus.COMPLETED, BatchItemStatus.SKIPPED),
                job.items().stream().map(BatchItem::status).collect(Collectors.toList()));
        assertNull("a skipped item is not processed", job.items().get(0).durationMs());
        assertEquals(List.of("done-a", "new-b", "done-c"), handler.skipQuestions());
        assertEquals(List.of("tag-2"), handler.calls());
        List<Object> progressStatuses = events.of(BatchEvents.TOPIC_ITEM_PROGRESS, jobId).stream()
                .map(e -> e.getProperty(BatchEvents.STATUS)).collect(Collectors.toList());
        assertEquals(List.of("skipped", "completed", "skipped"), progressStatuses);
    }

    @Test
    public void overwritePolicyProcessesEveryItemWithoutAskingShouldSkip() {
        ScriptedHandler handler = handlers.register("tagger", "overwrite-model").handler();
        String jobId = queue.enqueue(job("overwrite-model", "tag", OverwritePolicy.OVERWRITE, "done-a", "new-b"));

        Event completed = awaitCompleted(jobId, "completed");
        assertEquals(2, completed.getProperty(BatchEvents.SUCCEEDED));
        assertEquals(0, completed.getProperty(BatchEvents.SKIPPED));
        assertTrue(handler.skipQuestions().isEmpty());
        assertEquals(List.of("tag-1", "tag-2"), handler.calls());
        assertEquals("tagger:done-a", snapshot(jobId).items().get(0).output());
    }
}

package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.event.Event;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CancellationIT extends QueueTestSupport {

    @Test
    public void cancellingRunningItemStopsHandlerAndDiscardsLateResult() throws Exception {
        ScriptedHandler handler = handlers.register("slow", "cancel-item-model").handler();
        String jobId = queue.enqueue(job("cancel-item-model", "tag", "block", "ok"));
        assertEquals("tag-1", handler.awaitStart());

        queue.cancelItem(jobId, "tag-1");

        Event completed = awaitCompleted(jobId, "completed");
        assertEquals(1, completed.getProperty(BatchEvents.SUCCEEDED));
        assertEquals(1, completed.getProperty(BatchEvents.SKIPPED));
        handler.awaitFinish("tag-1");
        assertEquals(List.of("tag-1"), handler.interrupted());
        assertEquals(List.of("tag-1"), handler.sawCancellation());

        BatchJob<?> job = snapshot(jobId);
        assertEquals(BatchItemStatus.CANCELLED, job.items().get(0).status());
        assertNull("the late result is discarded", job.items().get(0).output());
        assertEquals(BatchItemStatus.COMPLETED, job.items().get(1).status());

        List<Event> progress = events.of(BatchEvents.TOPIC_ITEM_PROGRESS, jobId);
        assertEquals("cancelled", progress.get(0).getProperty(BatchEvents.STATUS));
        assertEquals(1, progress.get(0).getProperty(BatchEvents.COMPLETED));
        assertEquals(2, progress.get(1).getProperty(BatchEvents.COMPLETED));
    }

    @Test
    public void cancellingRunningJobStopsItsItemAndEndsItWithCancelledEvent() throws Exception {
        ScriptedHandler handler = handlers.register("slow", "cancel-job-model").handler();
        String jobId = queue.enqueue(job("cancel-job-model", "tag", "block", "ok", "ok"));
        handler.awaitStart();

        queue.cancelJob(jobId);

        Event completed = awaitCompleted(jobId, "cancelled");
        assertEquals(0, completed.getProperty(BatchEvents.SUCCEEDED));
        assertEquals(3, completed.getProperty(BatchEvents.SKIPPED));
        Event cancelled = events.await(BatchEvents.TOPIC_JOB_CANCELLED, jobId);
        assertEquals(Boolean.TRUE, cancelled.getProperty(BatchEvents.WAS_RUNNING));
        assertTrue("remaining items are reported by job_completed, not one by one",
                events.of(BatchEvents.TOPIC_ITEM_PROGRESS, jobId).isEmpty());
        handler.awaitFinish("tag-1");
        assertEquals(List.of("tag-1"), handler.sawCancellation());
        assertEquals("no item after the cancel reaches the handler", List.of("tag-1"), handler.calls());

        BatchJob<?> job = snapshot(jobId);
        assertEquals(BatchJobStatus.CANCELLED, job.status());
        assertTrue(job.items().stream().allMatch(item -> item.status() == BatchItemStatus.CANCELLED));
    }

    @Test
    public void handlerIgnoringInterruptsDoesNotHoldUpTheQueue() throws Exception {
        ScriptedHandler stubborn = handlers.register("stubborn", "hang-model").handler();
        String hung = queue.enqueue(job("hang-model", "tag", "hang"));
        String next = queue.enqueue(job("hang-model", "caption", "ok"));
        stubborn.awaitStart();

        queue.cancelJob(hung);

        awaitCompleted(hung, "cancelled");
        awaitCompleted(next, "completed");
        assertEquals("still stuck in the handler while the queue moved on", 1, stubborn.calls().stream()
                .filter("tag-1"::equals).count());
        assertTrue(stubborn.interrupted().contains("tag-1"));
        stubborn.release();
        stubborn.awaitFinish("tag-1");
        assertEquals("the late result of the hung call is discarded", BatchItemStatus.CANCELLED,
                snapshot(hung).items().get(0).status());
    }
}

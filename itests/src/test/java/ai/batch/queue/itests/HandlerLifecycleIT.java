package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

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
import ai.batch.queue.BatchJobStatus;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HandlerLifecycleIT extends QueueTestSupport {

    @Test
    public void jobWithoutHandlerWaitsWhileOthersRunAndStartsWhenHandlerArrives() {
        String waiting = queue.enqueue(job("late-model", "tag", "a"));
        handlers.register("present", "present-model");
        String other = queue.enqueue(job("present-model", "tag", "b"));

        awaitCompleted(other, "completed");
        assertEquals(BatchJobStatus.QUEUED, snapshot(waiting).status());

        handlers.register("late", "late-model");
        awaitCompleted(waiting, "completed");
        assertEquals("late:a", snapshot(waiting).items().get(0).output());
    }

    @Test
    public void handlerUnregisteredMidJobPutsJobBackAndItResumesWithTheNextHandler() throws Exception {
        Handlers.Registered first = handlers.register("first", "vanish-model");
        String jobId = queue.enqueue(job("vanish-model", "tag", "block", "ok"));
        assertEquals("tag-1", first.handler().awaitStart());

        first.unregister();

        Event requeued = events.await(e -> e.getTopic().equals(BatchEvents.TOPIC_JOB_QUEUED)
                && jobId.equals(e.getProperty(BatchEvents.JOB_ID))
                && "handlerGone".equals(e.getProperty(BatchEvents.CAUSE)), "job_queued(handlerGone)");
        assertEquals("vanish-model", requeued.getProperty(BatchEvents.RESOURCE_KEY));
        first.handler().awaitFinish("tag-1");
        assertEquals(List.of("tag-1"), first.handler().sawCancellation());
        BatchJob<?> waiting = snapshot(jobId);
        assertEquals(BatchJobStatus.QUEUED, waiting.status());
        assertEquals(BatchItemStatus.PENDING, waiting.items().get(0).status());

        ScriptedHandler second = handlers.register("second", "vanish-model").handler();
        second.release(); // its 'block' script returns at once
        awaitCompleted(jobId, "completed");
        assertEquals("the interrupted item runs again, from the start", List.of("tag-1", "tag-2"), second.calls());
        assertEquals("late result of tag-1", snapshot(jobId).items().get(0).output());
        assertEquals(2, events.of(BatchEvents.TOPIC_JOB_STARTED, jobId).size());
        assertEquals(1, events.of(BatchEvents.TOPIC_JOB_COMPLETED, jobId).size());
    }

    @Test
    public void failingHandlersFailOnlyTheirItemsWithClearErrors() {
        handlers.register("faulty", "faulty-model");
        String jobId = queue.enqueue(job("faulty-model", "tag", "throw", "error", "null", "fail", "ok"));

        Event completed = awaitCompleted(jobId, "completedWithErrors");
        assertEquals(4, completed.getProperty(BatchEvents.FAILED));
        assertEquals(1, completed.getProperty(BatchEvents.SUCCEEDED));
        List<? extends BatchItem<?>> items = snapshot(jobId).items();
        assertEquals("scripted exception in tag-1", items.get(0).error());
        assertEquals("scripted/MissingClass", items.get(1).error());
        assertTrue(items.get(2).error(), items.get(2).error().contains("no result"));
        assertEquals("scripted failure of tag-4", items.get(3).error());
        assertEquals(BatchItemStatus.COMPLETED, items.get(4).status());
        assertEquals("scripted exception in tag-1",
                events.of(BatchEvents.TOPIC_ITEM_PROGRESS, jobId).get(0).getProperty(BatchEvents.ERROR));

        // The queue goes on serving other jobs.
        String after = queue.enqueue(job("faulty-model", "caption", "ok"));
        awaitCompleted(after, "completed");
    }
}

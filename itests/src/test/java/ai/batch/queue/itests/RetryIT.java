package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.event.Event;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RetryIT extends QueueTestSupport {

    @Test
    public void retryRunsOnlyTheFailedItems() {
        ScriptedHandler handler = handlers.register("flaky", "retry-model").handler();
        String jobId = queue.enqueue(job("retry-model", "tag", "ok", "failOnce", "failOnce"));

        Event first = awaitCompleted(jobId, "completedWithErrors");
        assertEquals(1, first.getProperty(BatchEvents.SUCCEEDED));
        assertEquals(2, first.getProperty(BatchEvents.FAILED));
        assertEquals("first attempt fails", snapshot(jobId).items().get(1).error());

        queue.retryFailed(jobId);

        events.await(e -> e.getTopic().equals(BatchEvents.TOPIC_JOB_COMPLETED)
                && jobId.equals(e.getProperty(BatchEvents.JOB_ID)) && "completed".equals(e.getProperty(
                        BatchEvents.STATUS)), "second job_completed of " + jobId);

        assertEquals("the completed item is not processed again",
                List.of("tag-1", "tag-2", "tag-3", "tag-2", "tag-3"), handler.calls());
        BatchJob<?> done = snapshot(jobId);
        assertEquals(BatchJobStatus.COMPLETED, done.status());
        assertEquals("flaky:ok", done.items().get(0).output());
        assertEquals("flaky:retried", done.items().get(1).output());

        List<Event> progress = events.of(BatchEvents.TOPIC_ITEM_PROGRESS, jobId);
        assertEquals(5, progress.size());
        assertEquals("the second run starts counting at the item already final",
                List.of(1, 2, 3, 2, 3), progress.stream().map(e -> e.getProperty(BatchEvents.COMPLETED))
                        .collect(Collectors.toList()));
        assertEquals("retried", events.all().stream()
                .filter(e -> e.getTopic().equals(BatchEvents.TOPIC_JOB_QUEUED)
                        && jobId.equals(e.getProperty(BatchEvents.JOB_ID)))
                .reduce((a, b) -> b).orElseThrow().getProperty(BatchEvents.CAUSE));
    }
}

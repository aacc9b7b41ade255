package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchEvents;
import ai.batch.queue.JobPriority;

/** Pause, resume, move to front and priorities, through the OSGi service and its events. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class QueueControlIT extends QueueTestSupport {

    @Test
    public void pausedQueueHoldsJobsAndResumeRunsThemInTheSteeredOrder() {
        queue.pause();
        events.await(e -> e.getTopic().equals(BatchEvents.TOPIC_PAUSED), "paused");
        handlers.register("control", new String[] {"control-a", "control-b", "control-c"});
        String a = queue.enqueue(job("control-a", "tag", "x"));
        String b = queue.enqueue(job("control-b", "tag", "x"));
        String c = queue.enqueue(job("control-c", "tag", "x"));

        queue.moveToFront(c);
        queue.setPriority(b, JobPriority.HIGH);
        events.await(BatchEvents.TOPIC_JOB_MOVED, c);
        assertEquals("high", events.await(BatchEvents.TOPIC_JOB_PRIORITY_CHANGED, b)
                .getProperty(BatchEvents.PRIORITY));
        assertTrue(queue.isPaused());
        BatchEstimate estimate = queue.estimate(a).orElseThrow();
        assertEquals(a, estimate.jobId());

        queue.resume();
        awaitCompleted(a, "completed");
        List<String> started = events.all().stream()
                .filter(e -> e.getTopic().equals(BatchEvents.TOPIC_JOB_STARTED))
                .map(e -> (String) e.getProperty(BatchEvents.JOB_ID)).collect(Collectors.toList());
        assertEquals("moved first, then the higher priority, then the rest", List.of(c, b, a), started);
        assertNotNull(events.await(e -> e.getTopic().equals(BatchEvents.TOPIC_RESUMED), "resumed"));
        assertTrue(events.all().stream().filter(e -> e.getTopic().equals(BatchEvents.TOPIC_RESOURCE_SWITCHED))
                .allMatch(e -> e.getProperty(BatchEvents.REASON) != null));
    }
}

package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;

import ai.batch.queue.BatchQueue;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleRestartIT extends QueueTestSupport {

    @Test
    public void stoppingTheImplBundleStopsRunningWorkAndStartingItResumesFromTheJournal() throws Exception {
        ScriptedHandler handler = handlers.register("restart", "restart-model").handler();
        String before = queue.enqueue(job("restart-model", "tag", "block"));
        handler.awaitStart();
        Bundle impl = Arrays.stream(context.getBundles())
                .filter(b -> "ai.batch.queue.impl".equals(b.getSymbolicName())).findFirst().orElseThrow();

        impl.stop();

        assertEquals("the queue service goes away with its bundle", null,
                context.getServiceReference(BatchQueue.class));
        handler.awaitFinish("tag-1");
        assertTrue("the running handler call was interrupted", handler.interrupted().contains("tag-1"));

        impl.start();
        ServiceTracker<BatchQueue, BatchQueue> tracker = new ServiceTracker<>(context, BatchQueue.class, null);
        tracker.open();
        try {
            BatchQueue restarted = tracker.waitForService(EventRecorder.DEADLINE.toMillis());
            assertNotNull("the queue service comes back", restarted);
            // The journal rebuilt the queue: the interrupted job is back and runs its item again.
            assertTrue(restarted.getJob(before).isPresent());
            String after = restarted.enqueue(job("restart-model", "caption", "ok"));
            handler.release();
            awaitCompleted(before, "completed");
            awaitCompleted(after, "completed");
            assertEquals("the interrupted item ran once more (at-least-once)", 2,
                    handler.calls().stream().filter("tag-1"::equals).count());
            assertEquals(1, events.all().stream()
                    .filter(e -> e.getTopic().equals(ai.batch.queue.BatchEvents.TOPIC_JOURNAL_RECOVERED)).count());
        } finally {
            tracker.close();
        }
    }
}

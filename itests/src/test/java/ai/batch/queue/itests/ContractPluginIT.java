package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Filter;
import org.osgi.service.event.Event;
import org.osgi.util.tracker.ServiceTracker;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJobStatus;

/** The example plugin bundle, written only against the public contract, works in the runtime set. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContractPluginIT extends QueueTestSupport {

    @Test
    public void pluginBundleServesWaitingJobsAndRunsItsOwn() throws Exception {
        String waiting = queue.enqueue(job("echo-model", "whisper", "waiting for the plugin"));
        assertEquals(BatchJobStatus.QUEUED, snapshot(waiting).status());

        Bundle plugin = context.installBundle(TestOptions.builtBundleUrl("bundle.contractPlugin"));
        try {
            plugin.start();

            awaitCompleted(waiting, "completed");
            assertEquals("WAITING FOR THE PLUGIN", snapshot(waiting).items().get(0).output());

            Event pluginJob = events.await(e -> e.getTopic().equals(BatchEvents.TOPIC_JOB_COMPLETED)
                    && "shout".equals(e.getProperty(BatchEvents.OPERATION)), "job_completed of the plugin's job");
            String jobId = (String) pluginJob.getProperty(BatchEvents.JOB_ID);
            assertEquals(3, pluginJob.getProperty(BatchEvents.SUCCEEDED));
            assertEquals(List.of("HELLO", "OSGI", "WORKS"), snapshot(jobId).items().stream()
                    .map(BatchItem::output).collect(Collectors.toList()));

            Filter filter = context.createFilter("(&(objectClass=java.util.function.Supplier)"
                    + "(example.plugin.report=echo))");
            ServiceTracker<Object, Object> reports = new ServiceTracker<>(context, filter, null);
            reports.open();
            try {
                @SuppressWarnings("unchecked")
                Supplier<String> report = (Supplier<String>) reports.waitForService(
                        EventRecorder.DEADLINE.toMillis());
                assertNotNull("the plugin heard its job_completed event", report);
                assertTrue(report.get(), report.get().contains("\"succeeded\":3"));
                assertTrue(report.get(), report.get().startsWith("{\"summary\":{\"jobId\":\"" + jobId + "\""));
            } finally {
                reports.close();
            }
        } finally {
            plugin.uninstall();
        }
    }
}

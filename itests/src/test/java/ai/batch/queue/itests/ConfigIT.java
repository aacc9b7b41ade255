package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigIT extends QueueTestSupport {

    private static final String PID = "ai.batch.queue";

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private MetaTypeService metaType;

    /** Applies a configuration and waits until the queue says it took effect. */
    private void configure(boolean enabled, int concurrentJobs, long timeoutMs) throws IOException {
        int mark = events.mark();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("executor.enabled", enabled);
        props.put("executor.concurrentJobs", concurrentJobs);
        props.put("item.timeout.ms", timeoutMs);
        configAdmin.getConfiguration(PID, "?").update(props);
        events.awaitFrom(mark, e -> e.getTopic().equals(BatchEvents.TOPIC_CONFIGURED)
                && Boolean.valueOf(enabled).equals(e.getProperty(BatchEvents.EXECUTOR_ENABLED))
                && Integer.valueOf(concurrentJobs).equals(e.getProperty(BatchEvents.CONCURRENT_JOBS))
                && Long.valueOf(timeoutMs).equals(e.getProperty(BatchEvents.ITEM_TIMEOUT_MS)),
                "configured " + enabled + "/" + concurrentJobs + "/" + timeoutMs);
    }

    /** Deletes the configuration and waits until the defaults took effect, so the next test starts quiet. */
    @After
    public void restoreDefaults() throws Exception {
        deleteQueueConfiguration(configAdmin, e -> Integer.valueOf(1).equals(e.getProperty(BatchEvents.CONCURRENT_JOBS))
                && Long.valueOf(1_800_000L).equals(e.getProperty(BatchEvents.ITEM_TIMEOUT_MS)));
    }

    @Test
    public void disabledExecutorLeavesJobsToManualDrivingAndEnablingRunsTheQueuedOnes() throws Exception {
        configure(false, 1, 1_800_000L);
        ScriptedHandler handler = handlers.register("manual", "manual-model").handler();
        String manual = queue.enqueue(job("manual-model", "tag", "ok"));

        assertEquals(manual, queue.nextQueued().orElseThrow().id());
        queue.markRunning(manual);
        queue.updateItem(manual, "tag-1", BatchItemStatus.RUNNING, null, null);
        queue.updateItem(manual, "tag-1", BatchItemStatus.COMPLETED, null, 25L);
        assertEquals(1, queue.markCompleted(manual).succeeded());
        events.await(BatchEvents.TOPIC_JOB_STARTED, manual);
        Event progress = events.await(BatchEvents.TOPIC_ITEM_PROGRESS, manual);
        assertEquals(25L, progress.getProperty(BatchEvents.DURATION_MS));
        awaitCompleted(manual, "completed");
        assertTrue("the executor left the job alone", handler.calls().isEmpty());

        String queued = queue.enqueue(job("manual-model", "caption", "ok"));
        configure(true, 1, 1_800_000L);
        awaitCompleted(queued, "completed");
        assertEquals(List.of("caption-1"), handler.calls());
    }

    @Test
    public void hangingHandlerTimesOutAndTheQueueMovesOn() throws Exception {
        configure(true, 1, 300L);
        ScriptedHandler handler = handlers.register("hanging", "timeout-model").handler();
        String jobId = queue.enqueue(job("timeout-model", "tag", "hang", "ok"));

        awaitCompleted(jobId, "completedWithErrors");
        List<? extends BatchItem<?>> items = queue.getJob(jobId).orElseThrow().items();
        assertEquals(BatchItemStatus.FAILED, items.get(0).status());
        assertTrue(items.get(0).error(), items.get(0).error().contains("timed out"));
        assertEquals(BatchItemStatus.COMPLETED, items.get(1).status());
        assertTrue("the stuck thread was interrupted", handler.interrupted().contains("tag-1"));
    }

    @Test
    public void configurationChangeKeepsTheRunningJobRunning() throws Exception {
        ScriptedHandler handler = handlers.register("steady", "steady-model").handler();
        String running = queue.enqueue(job("steady-model", "tag", "block", "ok"));
        handler.awaitStart();
        String queued = queue.enqueue(job("steady-model", "caption", "ok"));

        configure(true, 2, 60_000L);
        handler.release();

        awaitCompleted(running, "completed");
        awaitCompleted(queued, "completed");
        // With two concurrent jobs allowed, the queued job may start beside the running one; each item runs once.
        assertEquals(List.of("caption-1", "tag-1", "tag-2"), handler.calls().stream().sorted()
                .collect(Collectors.toList()));
        assertEquals(1, events.of(BatchEvents.TOPIC_JOB_STARTED, running).size());
    }

    @Test
    public void metatypeDescribesEveryConfigurationKey() {
        Bundle impl = Arrays.stream(context.getBundles())
                .filter(b -> "ai.batch.queue.impl".equals(b.getSymbolicName())).findFirst().orElseThrow();
        ObjectClassDefinition ocd = metaType.getMetaTypeInformation(impl).getObjectClassDefinition(PID, null);
        assertNotNull(ocd);
        Map<String, AttributeDefinition> attributes = Arrays.stream(ocd.getAttributeDefinitions(
                ObjectClassDefinition.ALL)).collect(Collectors.toMap(AttributeDefinition::getID, a -> a));
        assertEquals(List.of("true"), Arrays.asList(attributes.get("executor.enabled").getDefaultValue()));
        assertEquals(List.of("1800000"), Arrays.asList(attributes.get("item.timeout.ms").getDefaultValue()));
        assertEquals(List.of("1"), Arrays.asList(attributes.get("executor.concurrentJobs").getDefaultValue()));
        assertTrue(attributes.containsKey("executor.threadName"));
        assertTrue(attributes.containsKey("events.enabled"));
        assertTrue(attributes.values().stream().allMatch(a -> a.getDescription() != null
                && !a.getDescription().isBlank()));
    }

    @Test
    public void invalidConfigurationIsRejectedAndTheQueueKeepsWorking() throws Exception {
        int mark = events.mark();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("executor.concurrentJobs", 0);
        configAdmin.getConfiguration(PID, "?").update(props);
        configure(true, 1, 5_000L); // a valid one afterwards takes effect
        assertEquals("the invalid configuration was never applied", 0, events.all().subList(mark, events.mark())
                .stream().filter(e -> e.getTopic().equals(BatchEvents.TOPIC_CONFIGURED)
                        && Integer.valueOf(0).equals(e.getProperty(BatchEvents.CONCURRENT_JOBS))).count());

        handlers.register("after", "after-invalid-model");
        String jobId = queue.enqueue(job("after-invalid-model", "tag", "ok"));
        awaitCompleted(jobId, "completed");
        BatchJob<?> job = queue.getJob(jobId).orElseThrow();
        assertEquals(BatchItemStatus.COMPLETED, job.items().get(0).status());
    }
}

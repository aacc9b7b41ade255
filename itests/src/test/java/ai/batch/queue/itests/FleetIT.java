package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.util.tracker.ServiceTracker;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/**
 * Fleet mode in plain Felix: the runtime set, the API, the fleet bundle, pgjdbc and the OSGi JDBC service, and no
 * single-machine queue. With its configuration the node joins a real PostgreSQL, provides the BatchQueue, runs
 * handler services as slots and relays the fleet's events into EventAdmin; the example plugin, written against the
 * contract only, works unchanged.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FleetIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private EventRecorder events;
    private Handlers handlers;
    private org.osgi.service.cm.Configuration fleet;

    @Configuration
    public Option[] config() {
        return TestOptions.framework(TestOptions.builtBundle("bundle.fleet"),
                mavenBundle("org.osgi", "org.osgi.service.jdbc").versionAsInProject(),
                mavenBundle("org.postgresql", "postgresql").versionAsInProject(),
                systemProperty("fleet.itest.url").value(FleetDatabase.url()));
    }

    @Before
    public void joinTheFleet() throws Exception {
        events = new EventRecorder(context);
        handlers = new Handlers(context);
        fleet = configAdmin.getConfiguration("ai.batch.queue.fleet", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("url", System.getProperty("fleet.itest.url"));
        properties.put("node.id", "felix-1");
        properties.put("heartbeat.ms", 200L);
        properties.put("deadAfter.ms", 2_000L);
        fleet.update(properties);
    }

    @After
    public void leave() throws Exception {
        handlers.close();
        events.close();
        fleet.delete();
    }

    private BatchQueue fleetQueue() throws Exception {
        Filter filter = context.createFilter("(&(" + Constants.OBJECTCLASS + "=" + BatchQueue.class.getName()
                + ")(ai.batch.fleet.node=felix-1))");
        ServiceTracker<BatchQueue, BatchQueue> tracker = new ServiceTracker<>(context, filter, null);
        tracker.open();
        BatchQueue queue = tracker.waitForService(EventRecorder.DEADLINE.toMillis());
        assertNotNull("the fleet's BatchQueue within " + EventRecorder.DEADLINE, queue);
        return queue;
    }

    @Test
    public void aFleetNodeRunsHandlerServicesAndRelaysTheFleetsEvents() throws Exception {
        BatchQueue queue = fleetQueue();
        assertEquals("the fleet's queue is the one consumers get", queue,
                context.getService(context.getServiceReference(BatchQueue.class)));
        handlers.register("tagger", "fleet-model");
        String id = queue.enqueue(BatchJob.of("fleet-model", "tag", OverwritePolicy.OVERWRITE, List.of(
                BatchItem.of("a", "ok", SizeBucket.SMALL), BatchItem.of("b", "ok", SizeBucket.SMALL),
                BatchItem.of("c", "fail", SizeBucket.SMALL))));

        Event done = events.awaitCompleted(id);

        assertEquals("completedWithErrors", done.getProperty(BatchEvents.STATUS));
        assertEquals(2, done.getProperty(BatchEvents.SUCCEEDED));
        assertEquals("felix-1", done.getProperty("node"));
        assertEquals(3, events.of(BatchEvents.TOPIC_ITEM_PROGRESS, id).size());
        List<BatchItemStatus> statuses = queue.getJob(id).orElseThrow().items().stream().map(BatchItem::status)
                .collect(Collectors.toList());
        assertEquals(List.of(BatchItemStatus.COMPLETED, BatchItemStatus.COMPLETED, BatchItemStatus.FAILED), statuses);
    }

    @Test
    public void theContractPluginWorksAgainstAFleetNode() throws Exception {
        BatchQueue queue = fleetQueue();
        Bundle plugin = context.installBundle(TestOptions.builtBundleUrl("bundle.contractPlugin"));
        try {
            plugin.start();
            Event pluginJob = events.await(e -> e.getTopic().equals(BatchEvents.TOPIC_JOB_COMPLETED)
                    && "shout".equals(e.getProperty(BatchEvents.OPERATION)), "job_completed of the plugin's job");
            String jobId = (String) pluginJob.getProperty(BatchEvents.JOB_ID);
            assertEquals(3, pluginJob.getProperty(BatchEvents.SUCCEEDED));
            assertEquals(List.of("HELLO", "OSGI", "WORKS"), queue.getJob(jobId).orElseThrow().items().stream()
                    .map(BatchItem::output).collect(Collectors.toList()));
            Filter filter = context.createFilter("(&(objectClass=java.util.function.Supplier)(example.plugin.report=echo))");
            ServiceTracker<Object, Object> reports = new ServiceTracker<>(context, filter, null);
            reports.open();
            try {
                @SuppressWarnings("unchecked")
                Supplier<String> report = (Supplier<String>) reports.waitForService(EventRecorder.DEADLINE.toMillis());
                assertNotNull("the plugin heard its job_completed event", report);
                assertTrue(report.get(), report.get().startsWith("{\"summary\":{\"jobId\":\"" + jobId + "\""));
            } finally {
                reports.close();
            }
        } finally {
            plugin.uninstall();
        }
    }
}

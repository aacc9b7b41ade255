package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/** What every integration test shares: the framework, the injected queue, an event recorder, handlers. */
public abstract class QueueTestSupport {

    @Inject
    protected BundleContext context;

    @Inject
    protected BatchQueue queue;

    protected EventRecorder events;
    protected Handlers handlers;

    @Configuration
    public Option[] config() {
        return TestOptions.runtime();
    }

    @Before
    public void listen() {
        events = new EventRecorder(context);
        handlers = new Handlers(context);
    }

    @After
    public void cleanUp() {
        handlers.close();
        events.close();
    }

    /** A job whose items are named {@code <operation>-1, -2, …} and carry the given scripts as data. */
    protected static BatchJob<String> job(String model, String operation, OverwritePolicy policy, String... data) {
        List<BatchItem<String>> items = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            items.add(BatchItem.of(operation + "-" + (i + 1), data[i], SizeBucket.MEDIUM));
        }
        return BatchJob.of(model, operation, policy, items);
    }

    protected static BatchJob<String> job(String model, String operation, String... data) {
        return job(model, operation, OverwritePolicy.OVERWRITE, data);
    }

    protected BatchJob<?> snapshot(String jobId) {
        return queue.getJob(jobId).orElseThrow(() -> new AssertionError("No job " + jobId));
    }

    /**
     * Deletes the queue's configuration (PID {@code ai.batch.queue}), if any, and waits for the
     * {@code configured} event whose properties match, so the next test starts from the defaults.
     */
    protected void deleteQueueConfiguration(ConfigurationAdmin configAdmin, Predicate<Event> defaults)
            throws Exception {
        if (configAdmin.listConfigurations("(service.pid=ai.batch.queue)") != null) {
            int mark = events.mark();
            configAdmin.getConfiguration("ai.batch.queue", "?").delete();
            events.awaitFrom(mark, e -> e.getTopic().equals(BatchEvents.TOPIC_CONFIGURED) && defaults.test(e),
                    "the defaults after the configuration was deleted");
        }
    }

    /** Waits for the job's job_completed event and checks its status. */
    protected Event awaitCompleted(String jobId, String expectedStatus) {
        Event completed = events.awaitCompleted(jobId);
        assertEquals(expectedStatus, completed.getProperty(BatchEvents.STATUS));
        return completed;
    }
}

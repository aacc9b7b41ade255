package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Filter;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.util.tracker.ServiceTracker;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;

/**
 * The Ollama bundle in Felix: configured through ConfigAdmin against a stub server, it registers a handler and a
 * lifecycle for the configured models, and the queue runs a job through it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OllamaIT extends QueueTestSupport {

    private static final String MODEL = "it-llava:7b";
    private static final String OTHER_MODEL = "it-moondream:1.8b";
    private static final long DEADLINE_MS = 20_000;

    @Inject
    private ConfigurationAdmin configAdmin;

    private OllamaStub server;
    private Configuration configuration;

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return TestOptions.runtime(TestOptions.builtBundle("bundle.ollama"));
    }

    @Before
    public void startServer() throws Exception {
        server = new OllamaStub();
    }

    @After
    public void stopServer() throws Exception {
        if (configuration != null) {
            configuration.delete();
            awaitService(BatchItemHandler.class, false);
        }
        server.close();
    }

    @Test
    public void aConfiguredServerRunsAJobAndServesTheLifecycle() throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("baseUrl", server.url());
        props.put("ai.batch.resource", new String[] { MODEL });
        props.put("keepAlive", "2m");
        configuration = configAdmin.getFactoryConfiguration("ai.batch.queue.ollama", "it", "?");
        configuration.update(props);

        ServiceReference<?> handler = awaitService(BatchItemHandler.class, true);
        assertEquals(List.of(MODEL), List.of((String[]) handler.getProperty(BatchItemHandler.RESOURCE)));
        assertEquals(16, handler.getProperty(BatchItemHandler.BATCH_SIZE));
        ModelLifecycle lifecycle = (ModelLifecycle) context.getService(awaitService(ModelLifecycle.class, true));

        String jobId = queue.enqueue(job(MODEL, "generate", "hello", "osgi"));
        awaitCompleted(jobId, "completed");

        List<String> outputs = snapshot(jobId).items().stream().map(BatchItem::output).toList();
        assertEquals(List.of("You said: hello", "You said: osgi"), outputs);
        assertTrue(server.bodies().get(0), server.bodies().get(0).contains("\"keep_alive\":\"2m\""));
        List<LoadedModel> loaded = lifecycle.loadedModels();
        assertEquals(MODEL, loaded.get(0).resourceKey());
        assertNotNull(loaded.get(0).expiresAt());
    }

    @Test
    public void theQueuePreloadsTheNextModelAndUnloadsIdleOnesThroughOllama() throws Exception {
        int mark = events.mark();
        Dictionary<String, Object> queueProps = new Hashtable<>();
        queueProps.put("models.keepWarmMs", 300L);
        configAdmin.getConfiguration("ai.batch.queue", "?").update(queueProps);
        events.awaitFrom(mark, e -> e.getTopic().equals(BatchEvents.TOPIC_CONFIGURED), "models.keepWarmMs=300");
        try {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("baseUrl", server.url());
            props.put("ai.batch.resource", new String[] { MODEL, OTHER_MODEL });
            props.put("capacity", 2);
            configuration = configAdmin.getFactoryConfiguration("ai.batch.queue.ollama", "it", "?");
            configuration.update(props);
            awaitService(ModelLifecycle.class, true);

            String first = queue.enqueue(job(MODEL, "generate", "untilPreload")); // runs until the preload
            String second = queue.enqueue(job(OTHER_MODEL, "generate", "hello"));

            Event preloaded = events.await(e -> e.getTopic().equals(BatchEvents.TOPIC_MODEL_LOADED)
                    && OTHER_MODEL.equals(e.getProperty(BatchEvents.RESOURCE_KEY)), "model_loaded " + OTHER_MODEL);
            assertEquals("preload", preloaded.getProperty(BatchEvents.REASON));
            assertNull(preloaded.getProperty(BatchEvents.ERROR));
            awaitCompleted(first, "completed");
            awaitCompleted(second, "completed");
            List<String> toOther = server.bodies().stream().filter(body -> body.contains(OTHER_MODEL)).toList();
            assertFalse("the preload (no prompt) reached Ollama before the job's item: " + toOther,
                    toOther.get(0).contains("\"prompt\":\"hello\""));

            for (String model : List.of(MODEL, OTHER_MODEL)) {
                Event unloaded = events.await(e -> e.getTopic().equals(BatchEvents.TOPIC_MODEL_UNLOADED)
                        && model.equals(e.getProperty(BatchEvents.RESOURCE_KEY)), "model_unloaded " + model);
                assertEquals("idle", unloaded.getProperty(BatchEvents.REASON));
            }
            assertTrue("both unloaded in Ollama", server.loadedModels().isEmpty());
        } finally {
            deleteQueueConfiguration(configAdmin, e -> true);
        }
    }

    @Test
    public void aBaseUrlWithALoginGivesNoServiceAndThePasswordIsInNoServiceProperty() throws Exception {
        Dictionary<String, Object> login = new Hashtable<>();
        login.put("baseUrl", "http://admin:s3cret@127.0.0.1:" + server.url().replaceAll(".*:", ""));
        login.put("ai.batch.resource", new String[] { OTHER_MODEL });
        Configuration refused = configAdmin.getFactoryConfiguration("ai.batch.queue.ollama", "login", "?");
        try {
            refused.update(login);
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("baseUrl", server.url());
            props.put("ai.batch.resource", new String[] { MODEL });
            configuration = configAdmin.getFactoryConfiguration("ai.batch.queue.ollama", "it", "?");
            configuration.update(props); // handled after the refused one: once its service is there, both were seen

            awaitService(BatchItemHandler.class, true);
            ServiceReference<?>[] handlers = context.getServiceReferences(BatchItemHandler.class.getName(),
                    "(component.name=ai.batch.queue.ollama)");
            List<String> seen = java.util.Arrays.stream(handlers).map(r -> r.getProperty("service.pid") + " "
                    + java.util.Arrays.toString((String[]) r.getProperty(BatchItemHandler.RESOURCE))).toList();
            assertEquals(seen.toString(), 1, handlers.length);
            assertEquals(List.of(MODEL), List.of((String[]) handlers[0].getProperty(BatchItemHandler.RESOURCE)));
            for (ServiceReference<?> reference : context.getServiceReferences((String) null, null)) {
                for (String key : reference.getPropertyKeys()) {
                    Object value = reference.getProperty(key);
                    String text = value instanceof Object[] array ? java.util.Arrays.toString(array)
                            : String.valueOf(value);
                    assertTrue(key + " of " + reference, !text.contains("s3cret"));
                }
            }
        } finally {
            refused.delete();
        }
    }

    @Test
    public void withoutAConfigurationThereIsNoHandler() {
        assertNull(context.getServiceReference(ModelLifecycle.class));
    }

    /** Waits, with a deadline, for the bundle's service to come (or to go). */
    private ServiceReference<Object> awaitService(Class<?> type, boolean present) throws Exception {
        Filter filter = context.createFilter("(&(objectClass=" + type.getName()
                + ")(component.name=ai.batch.queue.ollama))");
        CountDownLatch gone = new CountDownLatch(1);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter, null) {
            @Override
            public void removedService(ServiceReference<Object> reference, Object service) {
                super.removedService(reference, service);
                gone.countDown();
            }
        };
        tracker.open();
        try {
            if (present) {
                assertNotNull(type.getSimpleName() + " registered", tracker.waitForService(DEADLINE_MS));
                return tracker.getServiceReference();
            }
            if (tracker.getServiceReference() != null) {
                assertTrue(type.getSimpleName() + " unregistered", gone.await(DEADLINE_MS, TimeUnit.MILLISECONDS));
            }
            return null;
        } finally {
            tracker.close();
        }
    }
}

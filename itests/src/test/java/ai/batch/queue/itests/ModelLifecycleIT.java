package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;

/**
 * A plugin's {@link ModelLifecycle} service steered by the queue in Felix: the next planned model is loaded while
 * the current job still runs, and models left without work are unloaded after the keep-warm time.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModelLifecycleIT extends QueueTestSupport {

    private static final String PID = "ai.batch.queue";

    @Inject
    private ConfigurationAdmin configAdmin;

    /** A runtime with room for two models; a model also counts as loaded once its handler served an item. */
    static final class TwoSlotRuntime implements ModelLifecycle {
        final Set<String> held = new LinkedHashSet<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public synchronized List<LoadedModel> loadedModels() {
            List<LoadedModel> models = new ArrayList<>();
            held.forEach(model -> models.add(LoadedModel.of(model, 1L << 30, null)));
            return models;
        }

        @Override
        public synchronized void load(String resourceKey) {
            calls.add("load " + resourceKey);
            held.add(resourceKey);
        }

        @Override
        public synchronized void unload(String resourceKey) {
            calls.add("unload " + resourceKey);
            held.remove(resourceKey);
        }

        synchronized void servedLazily(String resourceKey) {
            held.add(resourceKey);
        }

        @Override
        public int capacity() {
            return 2;
        }
    }

    @After
    public void restoreDefaults() throws Exception {
        deleteQueueConfiguration(configAdmin, e -> true);
    }

    @Test
    public void theNextModelIsPreloadedWhileAJobRunsAndIdleModelsAreUnloaded() throws Exception {
        int configured = events.mark();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("models.keepWarmMs", 300L);
        configAdmin.getConfiguration(PID, "?").update(props);
        events.awaitFrom(configured, e -> e.getTopic().equals(BatchEvents.TOPIC_CONFIGURED), "keepWarmMs=300");

        TwoSlotRuntime runtime = new TwoSlotRuntime();
        Dictionary<String, Object> lifecycleProps = new Hashtable<>();
        lifecycleProps.put(BatchItemHandler.RESOURCE, new String[] {"vision-a", "vision-b"});
        ServiceRegistration<ModelLifecycle> registration = context.registerService(ModelLifecycle.class, runtime,
                lifecycleProps);
        try {
            ScriptedHandler first = handlers.register("first", "vision-a").handler();
            handlers.register("second", "vision-b");
            String a = queue.enqueue(job("vision-a", "caption", "block", "ok"));
            String b = queue.enqueue(job("vision-b", "caption", "ok"));
            first.awaitStart();
            runtime.servedLazily("vision-a");

            Event loaded = events.await(e -> e.getTopic().equals(BatchEvents.TOPIC_MODEL_LOADED)
                    && "vision-b".equals(e.getProperty(BatchEvents.RESOURCE_KEY)), "model_loaded for vision-b");
            assertEquals("preload", loaded.getProperty(BatchEvents.REASON));
            assertNull(loaded.getProperty(BatchEvents.ERROR));
            assertTrue(loaded.getProperty(BatchEvents.DURATION_MS) instanceof Long);
            assertEquals("loaded while the first job still runs", BatchJobStatus.RUNNING, snapshot(a).status());
            assertEquals(List.of("load vision-b"), runtime.calls);

            first.release();
            awaitCompleted(a, "completed");
            awaitCompleted(b, "completed");

            for (String model : List.of("vision-a", "vision-b")) {
                Event unloaded = events.await(e -> e.getTopic().equals(BatchEvents.TOPIC_MODEL_UNLOADED)
                        && model.equals(e.getProperty(BatchEvents.RESOURCE_KEY)), "model_unloaded for " + model);
                assertEquals("idle", unloaded.getProperty(BatchEvents.REASON));
            }
            assertTrue(runtime.calls.containsAll(List.of("unload vision-a", "unload vision-b")));
        } finally {
            registration.unregister();
        }
    }
}

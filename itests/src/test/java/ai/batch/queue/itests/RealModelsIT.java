package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;

/** The two real model bundles in Felix with the queue: their models load from inside the bundles and run. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RealModelsIT extends QueueTestSupport {

    @Override
    @Configuration
    public Option[] config() {
        return TestOptions.runtime(TestOptions.builtBundle("bundle.embeddings"),
                TestOptions.builtBundle("bundle.langdetect"));
    }

    @Test
    public void embeddingsJobRunsEndToEndAndFailsOnlyTheEmptyItem() throws IOException {
        String id = queue.enqueue(job("all-minilm-l6-v2", "embed", "A cat sits on the mat",
                "A kitten is sitting on a rug", "", "Stock markets fell sharply today"));

        awaitCompleted(id, "completedWithErrors");
        List<? extends BatchItem<?>> items = snapshot(id).items();
        assertEquals(BatchItemStatus.FAILED, items.get(2).status());
        assertTrue(items.get(2).error(), items.get(2).error().contains("'embed-3'"));
        float[] cat = vector(items.get(0));
        float[] kitten = vector(items.get(1));
        float[] stocks = vector(items.get(3));
        assertEquals(384, cat.length);
        assertTrue("cat/kitten closer than cat/stocks", dot(cat, kitten) > dot(cat, stocks) + 0.3);
    }

    @Test
    public void languageDetectionJobRunsEndToEnd() {
        String id = queue.enqueue(job("opennlp-langdetect", "detect",
                "The children played in the garden until it got dark.",
                "Die Kinder spielten im Garten, bis es dunkel wurde."));

        awaitCompleted(id, "completed");
        BatchJob<?> job = snapshot(id);
        assertTrue(job.items().get(0).output(), job.items().get(0).output().startsWith("{\"language\":\"eng\""));
        assertTrue(job.items().get(1).output(), job.items().get(1).output().startsWith("{\"language\":\"deu\""));
        assertEquals(2, events.of(BatchEvents.TOPIC_ITEM_PROGRESS, id).size());
    }

    @Test
    public void theEmbeddingsModelLoadsAndUnloadsThroughItsLifecycleService() throws Exception {
        Collection<ServiceReference<ModelLifecycle>> references = context.getServiceReferences(
                ModelLifecycle.class, "(" + BatchItemHandler.RESOURCE + "=all-minilm-l6-v2)");
        assertEquals(1, references.size());
        ServiceReference<ModelLifecycle> reference = references.iterator().next();
        assertEquals(32, reference.getProperty(BatchItemHandler.BATCH_SIZE));
        ModelLifecycle lifecycle = context.getService(reference);
        try {
            lifecycle.load("all-minilm-l6-v2");
            List<LoadedModel> loaded = lifecycle.loadedModels();
            assertEquals(1, loaded.size());
            assertEquals("all-minilm-l6-v2", loaded.get(0).resourceKey());
            lifecycle.unload("all-minilm-l6-v2");
            assertTrue(lifecycle.loadedModels().isEmpty());
            assertNull(System.getProperty("ENGINE_CACHE_DIR"));
        } finally {
            context.ungetService(reference);
        }
    }

    private static float[] vector(BatchItem<?> item) throws IOException {
        assertEquals(item.error(), BatchItemStatus.COMPLETED, item.status());
        return new ObjectMapper().readValue(item.output(), float[].class);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}

package ai.batch.queue.embeddings;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import ai.batch.queue.handler.BatchHandler;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;

/**
 * Sentence embeddings with all-MiniLM-L6-v2 for resource {@value #RESOURCE}, operation {@value #OPERATION}. Item
 * data is the text; the output a JSON array of {@value MiniLmModel#DIMENSION} floats of unit length, so the dot
 * product of two outputs is their cosine similarity. Up to 32 items of a job come in one call: one tokenizer call
 * for them all, then the model text by text, so a text's vector never depends on the items next to it (see
 * {@link MiniLmModel#embed}).
 *
 * <p>As the {@link ModelLifecycle} of its model, the queue may load it ahead of the first item and unload it when
 * no work is left; without that the first item loads it and it stays until the component is deactivated.
 */
@Component(service = {BatchItemHandler.class, ModelLifecycle.class})
@BatchHandler(resource = EmbeddingHandler.RESOURCE, batchSize = 32)
public final class EmbeddingHandler implements BatchItemHandler<String>, ModelLifecycle {

    /** The resource key this handler serves. */
    public static final String RESOURCE = "all-minilm-l6-v2";

    /** The one operation. */
    public static final String OPERATION = "embed";

    private final Path nativeCacheDir;
    /** Readers run inference; the writer loads or closes the model, never during an inference. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private MiniLmModel model;

    @Activate
    public EmbeddingHandler(BundleContext context) {
        this(nativeCacheDir(context));
    }

    EmbeddingHandler(Path nativeCacheDir) {
        this.nativeCacheDir = nativeCacheDir;
    }

    private static Path nativeCacheDir(BundleContext context) {
        File dataArea = context.getDataFile("native");
        if (dataArea != null) {
            return dataArea.toPath();
        }
        try {
            return Files.createTempDirectory("ai-batch-queue-embeddings");
        } catch (IOException e) {
            throw new IllegalStateException("No bundle data area and no temporary directory for the tokenizer's "
                    + "native library", e);
        }
    }

    @Deactivate
    void deactivate() {
        close();
    }

    @Override
    public ItemResult process(String text, ItemContext context) throws Exception {
        return processBatch(Collections.singletonList(text), List.of(context)).get(0);
    }

    /**
     * Embeds the valid texts. An item that is not a non-blank String, or asks for another
     * operation, fails on its own with an error naming it; the others are embedded.
     */
    @Override
    public List<ItemResult> processBatch(List<String> data, List<ItemContext> contexts) throws Exception {
        ItemResult[] results = new ItemResult[data.size()];
        List<Integer> positions = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            ItemContext context = contexts.get(i);
            Object item = ((List<?>) data).get(i);
            String problem = problemWith(item, context);
            if (problem != null) {
                results[i] = ItemResult.failure(problem);
            } else if (context.isCancelled()) {
                results[i] = ItemResult.failure("cancelled");
            } else {
                positions.add(i);
                texts.add((String) item);
            }
        }
        if (!texts.isEmpty()) {
            float[][] vectors = embed(texts);
            for (int k = 0; k < vectors.length; k++) {
                results[positions.get(k)] = ItemResult.successWithOutput(json(vectors[k]));
            }
        }
        return Arrays.asList(results);
    }

    private static String problemWith(Object item, ItemContext context) {
        String which = "item '" + context.itemId() + "' of job " + context.jobId();
        if (!OPERATION.equals(context.operation())) {
            return RESOURCE + " has no operation '" + context.operation() + "' (only '" + OPERATION + "'), "
                    + which;
        }
        if (item == null) {
            return "Nothing to embed: " + which + " has no text (null)";
        }
        if (!(item instanceof String text)) {
            return "Nothing to embed: " + which + " is a " + item.getClass().getName() + ", not a String";
        }
        if (text.isBlank()) {
            return "Nothing to embed: " + which + " has an empty text";
        }
        return null;
    }

    /**
     * Embeds texts, loading the model first if needed.
     *
     * @param texts non-blank texts
     * @return one unit vector per text
     * @throws Exception if the model cannot be loaded or run
     */
    float[][] embed(List<String> texts) throws Exception {
        lock.readLock().lock();
        try {
            if (model != null) {
                return model.embed(texts);
            }
        } finally {
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        try {
            loadLocked();
            lock.readLock().lock(); // downgrade: nobody may close the model between the load and the inference
        } finally {
            lock.writeLock().unlock();
        }
        try {
            return model.embed(texts);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void loadLocked() throws Exception {
        if (model == null) {
            model = MiniLmModel.load(nativeCacheDir);
        }
    }

    static String json(float[] vector) {
        StringBuilder out = new StringBuilder(vector.length * 12).append('[');
        for (int d = 0; d < vector.length; d++) {
            out.append(d == 0 ? "" : ",").append(vector[d]);
        }
        return out.append(']').toString();
    }

    @Override
    public List<LoadedModel> loadedModels() {
        lock.readLock().lock();
        try {
            return model == null ? List.of() : List.of(LoadedModel.of(RESOURCE, model.sizeBytes(), null));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void load(String resourceKey) throws Exception {
        check(resourceKey);
        lock.writeLock().lock();
        try {
            loadLocked();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void unload(String resourceKey) {
        check(resourceKey);
        close();
    }

    private void close() {
        lock.writeLock().lock();
        try {
            if (model != null) {
                model.close();
                model = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static void check(String resourceKey) {
        if (!RESOURCE.equals(resourceKey)) {
            throw new IllegalArgumentException("Unknown model '" + resourceKey + "': this runtime serves only "
                    + RESOURCE);
        }
    }
}

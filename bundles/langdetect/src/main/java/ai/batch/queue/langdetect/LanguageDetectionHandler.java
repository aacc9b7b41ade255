package ai.batch.queue.langdetect;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import ai.batch.queue.handler.BatchHandler;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;

/**
 * Language detection with Apache OpenNLP's language detector model (103 languages) for resource
 * {@value #RESOURCE}, operation {@value #OPERATION}. Item data is the text; the output
 * {@code {"language":"eng","confidence":0.0327}}: the ISO 639-3 code of the most likely language and the model's
 * probability for it. That probability is spread over all 103 languages, so it reads low: 0.02 to 0.11 for the
 * single sentences of the demo corpus (right for 98.8 % of them), about 0.27 for a paragraph. Compare it between
 * texts rather than with a fixed threshold such as 0.5.
 *
 * <p>As the {@link ModelLifecycle} of its model, the queue may load it ahead of the first item and unload it when
 * no work is left; without that the first item loads it and it stays until the component is deactivated.
 */
@Component(service = {BatchItemHandler.class, ModelLifecycle.class})
@BatchHandler(resource = LanguageDetectionHandler.RESOURCE)
public final class LanguageDetectionHandler implements BatchItemHandler<String>, ModelLifecycle {

    /** The resource key this handler serves. */
    public static final String RESOURCE = "opennlp-langdetect";

    /** The one operation. */
    public static final String OPERATION = "detect";

    private static final String MODEL = "/langdetect-183.bin";

    /** The loaded model; immutable once read, so detection reads it without a lock. */
    private volatile Loaded loaded;

    private record Loaded(LanguageDetectorModel model, long sizeBytes) {
    }

    @Deactivate
    void deactivate() {
        loaded = null;
    }

    @Override
    public ItemResult process(String text, ItemContext context) throws Exception {
        String which = "item '" + context.itemId() + "' of job " + context.jobId();
        if (!OPERATION.equals(context.operation())) {
            return ItemResult.failure(RESOURCE + " has no operation '" + context.operation() + "' (only '"
                    + OPERATION + "'), " + which);
        }
        if (text == null) {
            return ItemResult.failure("Nothing to detect: " + which + " has no text (null)");
        }
        if (text.isBlank()) {
            return ItemResult.failure("Nothing to detect: " + which + " has an empty text");
        }
        Language best = new LanguageDetectorME(model()).predictLanguage(text);
        return ItemResult.successWithOutput(String.format(Locale.ROOT, "{\"language\":\"%s\",\"confidence\":%.4f}",
                best.getLang(), best.getConfidence()));
    }

    private LanguageDetectorModel model() throws IOException {
        Loaded current = loaded;
        if (current == null) {
            current = loadOnce();
        }
        return current.model();
    }

    private synchronized Loaded loadOnce() throws IOException {
        if (loaded == null) {
            try (InputStream in = LanguageDetectionHandler.class.getResourceAsStream(MODEL)) {
                if (in == null) {
                    throw new IOException("The bundle has no " + MODEL);
                }
                CountingStream counted = new CountingStream(in);
                loaded = new Loaded(new LanguageDetectorModel(counted), counted.count());
            }
        }
        return loaded;
    }

    @Override
    public List<LoadedModel> loadedModels() {
        Loaded current = loaded;
        return current == null ? List.of() : List.of(LoadedModel.of(RESOURCE, current.sizeBytes(), null));
    }

    @Override
    public void load(String resourceKey) throws IOException {
        check(resourceKey);
        loadOnce();
    }

    @Override
    public synchronized void unload(String resourceKey) {
        check(resourceKey);
        loaded = null; // items being detected keep their reference; the memory goes with the last of them
    }

    private static void check(String resourceKey) {
        if (!RESOURCE.equals(resourceKey)) {
            throw new IllegalArgumentException("Unknown model '" + resourceKey + "': this runtime serves only "
                    + RESOURCE);
        }
    }
}

package ai.batch.queue.ollama;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.util.converter.Converters;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.ItemContext;

/** Contexts and configurations for the tests. */
final class Items {

    private Items() {
    }

    record Context(String jobId, String itemId, String resourceKey, String operation, AtomicBoolean cancelled)
            implements ItemContext {

        @Override
        public SizeBucket sizeBucket() {
            return SizeBucket.SMALL;
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }

    static Context item(String model, String operation, String itemId) {
        return new Context("job-1", itemId, model, operation, new AtomicBoolean());
    }

    static Map<String, Object> config(String url, String... models) {
        Map<String, Object> props = new HashMap<>();
        props.put("baseUrl", url);
        props.put("ai.batch.resource", models);
        props.put("options", "{\"num_ctx\": 8192, \"temperature\": 0.1}");
        return props;
    }

    static OllamaHandler handler(Map<String, Object> props, RecordingLogger log) {
        OllamaConfig config = Converters.standardConverter().convert(props).to(OllamaConfig.class);
        return new OllamaHandler(config, props, log.logger);
    }
}

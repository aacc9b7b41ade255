package ai.batch.queue.openai;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.log.Logger;
import org.osgi.util.converter.Converters;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.ItemContext;

/** Configurations, contexts and a logger that keeps every formatted line, for the unit tests. */
final class TestSupport {

    static final String KEY = "sk-test-9f8e7d6c5b4a";

    private TestSupport() {
    }

    static Map<String, Object> config(String baseUrl, Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        map.put("baseUrl", baseUrl);
        map.put("ai.batch.resource", new String[] {"*"});
        map.put("request.timeout.ms", 2_000L);
        map.put("lifecycle", "none");
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static OpenAiSettings settings(String baseUrl, Object... pairs) {
        return OpenAiSettings.from(convert(config(baseUrl, pairs)));
    }

    static OpenAiConfig convert(Map<String, Object> map) {
        return Converters.standardConverter().convert(map).to(OpenAiConfig.class);
    }

    static ItemContext context(String model, String operation, String itemId) {
        return context(model, operation, itemId, new AtomicBoolean());
    }

    static ItemContext context(String model, String operation, String itemId, AtomicBoolean cancelled) {
        return new ItemContext() {
            @Override
            public String jobId() {
                return "job-1";
            }

            @Override
            public String itemId() {
                return itemId;
            }

            @Override
            public String resourceKey() {
                return model;
            }

            @Override
            public String operation() {
                return operation;
            }

            @Override
            public SizeBucket sizeBucket() {
                return SizeBucket.UNKNOWN;
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
    }

    /** An OSGi logger whose lines hold the message with its arguments filled in. */
    static final class RecordingLogger {

        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
                new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("getName")) {
                        return "test";
                    }
                    if (name.equals("toString")) {
                        return "RecordingLogger";
                    }
                    if (name.equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (name.equals("equals")) {
                        return proxy == args[0];
                    }
                    if (name.startsWith("is")) {
                        return true;
                    }
                    if (args != null && args.length > 0 && args[0] instanceof String format) {
                        lines.add(name.toUpperCase() + " " + format(format, args));
                    }
                    return null;
                });

        private static String format(String format, Object[] args) {
            Object[] values = args.length == 2 && args[1] instanceof Object[] array ? array
                    : java.util.Arrays.copyOfRange(args, 1, args.length);
            StringBuilder out = new StringBuilder(format);
            for (Object value : values) {
                int at = out.indexOf("{}");
                if (at < 0) {
                    out.append(' ').append(value);
                } else {
                    out.replace(at, at + 2, String.valueOf(value));
                }
            }
            return out.toString();
        }

        Logger logger() {
            return logger;
        }

        List<String> lines() {
            return lines;
        }
    }
}

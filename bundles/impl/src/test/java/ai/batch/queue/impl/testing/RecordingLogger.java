package ai.batch.queue.impl.testing;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

/** An OSGi {@link Logger} for unit tests that keeps every message with its level. */
public final class RecordingLogger {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;

    public RecordingLogger() {
        logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getName":
                            return "test";
                        case "toString":
                            return "RecordingLogger";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            break;
                    }
                    if (method.getName().startsWith("is")) {
                        return true;
                    }
                    if (args != null && args.length > 0 && args[0] instanceof String format) {
                        lines.add(method.getName().toUpperCase() + " " + format);
                    }
                    return null;
                });
    }

    public Logger logger() {
        return logger;
    }

    public List<String> lines() {
        return lines;
    }
}

package ai.batch.queue.benchmarks.support;

import java.lang.reflect.Proxy;

import org.osgi.service.log.Logger;

/** An OSGi {@link Logger} that drops everything, for benchmarks that run the executor in plain Java. */
public final class SilentLogger {

    private SilentLogger() {
    }

    /** @return a logger with every level off */
    public static Logger create() {
        return (Logger) Proxy.newProxyInstance(SilentLogger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> "bench";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "silent logger";
                    default -> method.getReturnType() == boolean.class ? Boolean.FALSE : null;
                });
    }
}

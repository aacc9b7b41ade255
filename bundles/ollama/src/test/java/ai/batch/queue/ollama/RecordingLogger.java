package ai.batch.queue.ollama;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

/** A {@link Logger} that keeps what it is given, level and arguments, as one line each. */
final class RecordingLogger {

    final List<String> lines = new CopyOnWriteArrayList<>();
    final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] { Logger.class }, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "trace", "debug", "info", "warn", "error", "audit" -> lines.add(
                            method.getName() + " " + (args == null ? "" : Arrays.deepToString(args)));
                    case "getName" -> {
                        return "test";
                    }
                    case "toString" -> {
                        return "RecordingLogger";
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    default -> {
                        return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                    }
                }
                return null;
            });

    List<String> at(String level) {
        return lines.stream().filter(line -> line.startsWith(level + " ")).toList();
    }
}

package ai.batch.queue.impl.shell;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.ServiceReference;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;

/** A queue driven by hand (no executor) and helpers to fill it. */
final class ShellFixture {

    final CoreBatchQueue queue = new CoreBatchQueue();

    String enqueue(String id, String model, String... items) {
        List<BatchItem<String>> batch = new ArrayList<>();
        for (String item : items) {
            batch.add(BatchItem.of(item, item, SizeBucket.SMALL));
        }
        return queue.enqueue(BatchJob.of(model, "tag", OverwritePolicy.SKIP, batch).withId(id));
    }

    /** A service reference with only the given properties, as DS hands it to a bind method. */
    static ServiceReference<?> reference(Map<String, Object> properties) {
        return (ServiceReference<?>) Proxy.newProxyInstance(ShellFixture.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}

package example.plugin;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * A plugin as users write them, with nothing but the public contract and the OSGi core API:
 * <ol>
 * <li>registers a handler for the model {@code echo-model} that upper-cases its text items;</li>
 * <li>subscribes to {@code ai_batch/*} and prints what it hears;</li>
 * <li>when the {@link BatchQueue} service is there, enqueues one job of three items;</li>
 * <li>when that job completes, publishes a {@code Supplier<String>} service (property
 * {@code example.plugin.report=echo}) whose value is the job's {@code job_completed} JSON.</li>
 * </ol>
 */
public final class EchoPlugin implements BundleActivator {

    static final String MODEL = "echo-model";

    private final AtomicReference<String> jobId = new AtomicReference<>();
    private ServiceTracker<BatchQueue, BatchQueue> queues;
    private BundleContext context;

    @Override
    public void start(BundleContext bundleContext) {
        this.context = bundleContext;
        Dictionary<String, Object> handlerProps = new Hashtable<>();
        handlerProps.put(BatchItemHandler.RESOURCE, MODEL);
        context.registerService(BatchItemHandler.class, new EchoHandler(), handlerProps);

        Dictionary<String, Object> listenerProps = new Hashtable<>();
        listenerProps.put(EventConstants.EVENT_TOPIC, BatchEvents.TOPIC_ALL);
        context.registerService(EventHandler.class, this::onEvent, listenerProps);

        queues = new ServiceTracker<>(context, BatchQueue.class, null) {
            @Override
            public BatchQueue addingService(org.osgi.framework.ServiceReference<BatchQueue> reference) {
                BatchQueue queue = super.addingService(reference);
                if (queue != null && jobId.get() == null) {
                    jobId.set(queue.enqueue(BatchJob.of(MODEL, "shout", OverwritePolicy.OVERWRITE, List.of(
                            BatchItem.of("greeting", "hello", SizeBucket.SMALL),
                            BatchItem.of("subject", "osgi", SizeBucket.SMALL),
                            BatchItem.of("verb", "works", SizeBucket.UNKNOWN)))));
                    System.out.println("[echo-plugin] enqueued job " + jobId.get());
                }
                return queue;
            }
        };
        queues.open();
    }

    @Override
    public void stop(BundleContext bundleContext) {
        queues.close();
    }

    private void onEvent(Event event) {
        String ours = jobId.get();
        if (ours == null || !ours.equals(event.getProperty(BatchEvents.JOB_ID))) {
            return;
        }
        String json = (String) event.getProperty(BatchEvents.JSON);
        System.out.println("[echo-plugin] " + event.getTopic() + " " + json);
        if (BatchEvents.TOPIC_JOB_COMPLETED.equals(event.getTopic())) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("example.plugin.report", "echo");
            Supplier<String> report = () -> json;
            ServiceRegistration<?> registration = context.registerService(Supplier.class.getName(), report, props);
            System.out.println("[echo-plugin] report published as service " + registration.getReference()
                    .getProperty("service.id"));
        }
    }

    private static final class EchoHandler implements BatchItemHandler<String> {
        @Override
        public ItemResult process(String data, ItemContext context) {
            return ItemResult.successWithOutput(data.toUpperCase(Locale.ROOT));
        }
    }
}

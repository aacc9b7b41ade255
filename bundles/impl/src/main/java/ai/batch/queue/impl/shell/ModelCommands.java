package ai.batch.queue.impl.shell;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;

/**
 * {@code batch:models}, like {@code ollama ps}: the models each runtime holds (from its {@link ModelLifecycle}),
 * since when (the queue's {@code model_loaded} event, when the queue loaded it) and until when (the runtime's own
 * expiry), and the models that queued jobs wait for, with whether a handler serves them.
 */
@Component(service = {ModelCommands.class, EventHandler.class}, property = {
    "osgi.command.scope=batch", "osgi.command.function=models",
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_MODEL_LOADED,
    EventConstants.EVENT_TOPIC + "=" + BatchEvents.TOPIC_MODEL_UNLOADED})
public final class ModelCommands implements EventHandler {

    /** How long a runtime may take to say what it holds. */
    static final long ASK_TIMEOUT_MS = 5_000;

    private record ModelRuntime(ModelLifecycle lifecycle, String name) {
    }

    private final BatchQueue queue;
    private final List<ModelRuntime> runtimes = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> loadedAt = new ConcurrentHashMap<>();
    private final HandlerIndex handlers = new HandlerIndex();

    @Activate
    public ModelCommands(@Reference(name = "queue", policyOption = ReferencePolicyOption.GREEDY) BatchQueue queue) {
        this.queue = queue;
    }

    @Reference(name = "lifecycles", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeLifecycle")
    void addLifecycle(ModelLifecycle lifecycle, Map<String, Object> properties) {
        runtimes.add(new ModelRuntime(lifecycle, ShellText.visible(name(lifecycle, properties))));
    }

    /** The component's simple name, else the class's, else the service id (an anonymous class has no name). */
    static String name(ModelLifecycle lifecycle, Map<String, Object> properties) {
        Object component = properties.get("component.name");
        if (component instanceof String text && !text.isBlank()) {
            return text.substring(text.lastIndexOf('.') + 1);
        }
        String type = lifecycle.getClass().getSimpleName();
        return type.isEmpty() ? "service " + properties.getOrDefault("service.id", "?") : type;
    }

    void removeLifecycle(ModelLifecycle lifecycle) {
        runtimes.removeIf(runtime -> runtime.lifecycle() == lifecycle);
    }

    @Reference(name = "handlers", service = BatchItemHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeHandler", updated = "addHandler")
    void addHandler(ServiceReference<?> handler) {
        handlers.put(handler.getProperty("service.id"), handler.getProperty(BatchItemHandler.RESOURCE));
    }

    void removeHandler(ServiceReference<?> handler) {
        handlers.remove(handler.getProperty("service.id"));
    }

    @Override
    public void handleEvent(Event event) {
        if (!(event.getProperty(BatchEvents.RESOURCE_KEY) instanceof String model)) {
            return;
        }
        if (BatchEvents.TOPIC_MODEL_LOADED.equals(event.getTopic())) {
            if (event.getProperty(BatchEvents.ERROR) == null) {
                loadedAt.put(model, Instant.now());
            }
        } else if (BatchEvents.TOPIC_MODEL_UNLOADED.equals(event.getTopic())) {
            loadedAt.remove(model);
        }
    }

    @Descriptor("models loaded in each runtime (since when, until when, their jobs) and models that jobs wait for")
    public String models() {
        Instant now = Instant.now();
        List<BatchJob<?>> jobs = queue.listJobs();
        StringBuilder out = new StringBuilder();
        List<String> loaded = new ArrayList<>();
        if (runtimes.isEmpty()) {
            out.append("No runtime reports its loaded models (no ModelLifecycle service).\n");
        } else {
            TextTable table = new TextTable("RUNTIME", "MODEL", "SIZE", "SINCE", "UNTIL", "JOBS");
            List<String> problems = new ArrayList<>();
            for (ModelRuntime runtime : runtimes) {
                try {
                    for (LoadedModel model : ask(runtime.lifecycle())) {
                        loaded.add(model.resourceKey());
                        table.row(runtime.name(), model.resourceKey(), size(model.sizeBytes()),
                                Times.ago(loadedAt.get(model.resourceKey()), now),
                                Times.fromNow(model.expiresAt(), now), jobsOf(jobs, model.resourceKey()));
                    }
                } catch (Exception e) {
                    problems.add("ModelRuntime " + runtime.name() + " could not say what it holds: "
                            + ShellText.visible(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                }
            }
            out.append(loaded.isEmpty() ? "No model is loaded.\n" : table.toString());
            problems.forEach(problem -> out.append(problem).append('\n'));
        }
        Map<String, int[]> waiting = new LinkedHashMap<>();
        for (BatchJob<?> job : jobs) {
            if (job.status() == BatchJobStatus.QUEUED && !loaded.contains(job.resourceKey())) {
                int[] counts = waiting.computeIfAbsent(job.resourceKey(), key -> new int[2]);
                counts[0]++;
                counts[1] += job.items().size() - (int) JobViews.done(job);
            }
        }
        if (!waiting.isEmpty()) {
            out.append('\n').append("Waiting for a model:\n");
            TextTable table = new TextTable("MODEL", "JOBS", "ITEMS", "HANDLER");
            waiting.forEach((model, counts) -> table.row(model, counts[0], counts[1],
                    handlers.serves(model) ? "yes" : "none: jobs wait until one is registered"));
            out.append(table);
        }
        return out.toString().stripTrailing();
    }

    private static String jobsOf(List<BatchJob<?>> jobs, String model) {
        long running = jobs.stream().filter(job -> job.resourceKey().equals(model)
                && job.status() == BatchJobStatus.RUNNING).count();
        long queued = jobs.stream().filter(job -> job.resourceKey().equals(model)
                && job.status() == BatchJobStatus.QUEUED).count();
        if (running == 0 && queued == 0) {
            return "-";
        }
        return (running > 0 ? running + " running" : "") + (running > 0 && queued > 0 ? ", " : "")
                + (queued > 0 ? queued + " queued" : "");
    }

    static String size(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
    }

    /** Asks on a thread of its own, so that a runtime that does not answer holds the shell for 5 s at most. */
    private static List<LoadedModel> ask(ModelLifecycle lifecycle) throws Exception {
        FutureTask<List<LoadedModel>> task = new FutureTask<>(lifecycle::loadedModels);
        Thread thread = new Thread(task, "ai-batch-queue-shell-models");
        thread.setDaemon(true);
        thread.start();
        try {
            List<LoadedModel> models = task.get(ASK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return models == null ? List.of() : models;
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new Exception("no answer within " + Times.clock(ASK_TIMEOUT_MS));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}

package ai.batch.queue.impl.osgi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchEstimate;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.JobPriority;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ModelLifecycle;
import ai.batch.queue.impl.config.QueueConfig;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.core.QueueAdmin;
import ai.batch.queue.impl.events.EventPublisher;
import ai.batch.queue.impl.executor.QueueExecutor;
import ai.batch.queue.impl.executor.SlotSource;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.journal.ReplayClock;
import ai.batch.queue.impl.models.LifecycleRegistry;
import ai.batch.queue.impl.models.ModelResidency;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

/**
 * The {@link BatchQueue} service: the core queue, the handler whiteboard, the executor and the event
 * publisher, wired together and configured through PID {@code ai.batch.queue}.
 */
@Component(service = BatchQueue.class, configurationPid = QueueConfig.PID, immediate = true)
@Designate(ocd = QueueConfig.class)
public final class BatchQueueComponent implements BatchQueue {

    private static final long STOP_TIMEOUT_MS = 5_000;

    private final Logger logger;
    private final CoreBatchQueue queue;
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final QueueExecutor executor;
    private final EventPublisher events;
    private final QueueStorage storage;
    private final Retention retention;
    private final LifecycleRegistry lifecycles = new LifecycleRegistry();
    private final ModelResidency residency;
    /**
     * The bundle-private {@link SlotSource} for {@code batch:slots}, registered apart from the {@code BatchQueue}
     * service so that the public service names only public types (a bundle that sees another copy of an internal
     * type would otherwise not see the queue at all).
     */
    private final ServiceRegistration<SlotSource> slotSource;
    private volatile EventAdmin eventAdmin;
    private volatile boolean eventsEnabled;

    @Activate
    public BatchQueueComponent(QueueConfig config, BundleContext context,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this.logger = logger;
        QueueSettings settings = QueueSettings.from(config);
        this.eventsEnabled = settings.eventsEnabled();
        ReplayClock clock = new ReplayClock();
        this.queue = new CoreBatchQueue(clock, planner(settings),
                (message, error) -> logger.error("{}", message, error));
        QueueAdmin admin = queue.admin();
        admin.deliverOnThread(settings.eventsMaxBacklog(), QueueSettings.MAX_WAIT_FOR_ROOM_MS,
                settings.threadNamePrefix() + "-events");
        this.events = new EventPublisher(() -> eventsEnabled ? eventAdmin : null, admin::runInOrder);
        this.storage = QueueStorage.open(settings, context, admin, clock, logger);
        this.retention = new Retention(admin, settings, logger);
        if (eventsEnabled) {
            admin.listeners().add(events); // the queue decides who hears of a change when it happens
        }
        admin.listeners().add(retention);
        admin.listeners().add(storage); // after retention: compacts once old jobs are gone
        this.executor = new QueueExecutor(queue.executor(), handlers, settings, logger);
        this.residency = new ModelResidency(queue, admin, lifecycles, events, settings, logger);
        residency.connectSlots(executor::slotResidents, executor::slotsRunning);
        admin.listeners().add(residency);
        this.slotSource = context == null ? null // outside a framework (tests)
                : context.registerService(SlotSource.class, executor::slots, null);
        configure(settings);
        logger.info("Batch queue started: executor {}, {} concurrent job(s), item timeout {} ms",
                settings.executorEnabled() ? "on" : "off", settings.concurrentJobs(), settings.itemTimeoutMs());
    }

    @Modified
    void modified(QueueConfig config) {
        QueueSettings settings;
        try {
            settings = QueueSettings.from(config);
        } catch (IllegalArgumentException e) {
            logger.error("Configuration {} rejected, keeping the previous one: {}", QueueConfig.PID, e.getMessage());
            return;
        }
        if (settings.eventsEnabled() != eventsEnabled) {
            eventsEnabled = settings.eventsEnabled();
            if (eventsEnabled) {
                queue.admin().listeners().add(events);
            } else {
                queue.admin().listeners().remove(events);
            }
        }
        configure(settings);
        residency.update(settings);
        queue.admin().setPlanner(planner(settings));
        executor.update(settings);
        events.configured(settings.executorEnabled(), settings.concurrentJobs(), settings.itemTimeoutMs(),
                settings.plannerMaxWaitMs());
        logger.info("Batch queue reconfigured: executor {}, {} concurrent job(s), item timeout {} ms",
                settings.executorEnabled() ? "on" : "off", settings.concurrentJobs(), settings.itemTimeoutMs());
    }

    /** What activation and every configuration change apply alike (the rest is read at start only). */
    private void configure(QueueSettings settings) {
        events.setProgressMaxRate(settings.progressMaxRate());
        retention.update(settings);
    }

    @Deactivate
    void deactivate() {
        try {
            if (slotSource != null) {
                slotSource.unregister();
            }
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping: its services are gone
        }
        executor.close(STOP_TIMEOUT_MS);
        residency.close();
        queue.admin().closeNotifications(); // delivers the events of every change made, once durable
        storage.close();
    }

    private static ModelAwarePlanner planner(QueueSettings settings) {
        return new ModelAwarePlanner(settings.plannerMaxWait());
    }

    @Reference(name = "eventAdmin", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEventAdmin(EventAdmin admin) {
        eventAdmin = admin;
        storage.eventsReady(events);
    }

    void unbindEventAdmin(EventAdmin admin) {
        if (eventAdmin == admin) {
            eventAdmin = null;
        }
    }

    @Reference(name = "handler", service = BatchItemHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindHandler(BatchItemHandler<?> handler, Map<String, Object> properties) {
        HandlerRegistration registration = HandlerRegistration.of(handler, properties);
        if (registration.resources().isEmpty()) {
            logger.warn("Handler service {} has no usable {} property (a String or String[]); it serves no model",
                    registration.serviceId(), BatchItemHandler.RESOURCE);
        }
        if (!HandlerRegistration.hasValidConcurrency(properties)) {
            logger.error("Handler service {} has an invalid {} property '{}' (a whole number from 1 to {}); it is "
                    + "called for one item at a time", registration.serviceId(), BatchItemHandler.CONCURRENCY,
                    properties.get(BatchItemHandler.CONCURRENCY), HandlerRegistration.MAX_CONCURRENCY);
        }
        if (!HandlerRegistration.hasValidBatchSize(properties)) {
            logger.error("Handler service {} has an invalid {} property '{}' (a whole number from 1 to {}); it is "
                    + "called with one item per call", registration.serviceId(), BatchItemHandler.BATCH_SIZE,
                    properties.get(BatchItemHandler.BATCH_SIZE), HandlerRegistration.MAX_BATCH_SIZE);
        }
        handlers.put(registration);
    }

    void updatedHandler(BatchItemHandler<?> handler, Map<String, Object> properties) {
        bindHandler(handler, properties);
    }

    @Reference(name = "modelLifecycle", service = ModelLifecycle.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindModelLifecycle(ModelLifecycle lifecycle, Map<String, Object> properties) {
        lifecycles.put(lifecycle, properties);
        if (residency != null) { // bound during activation, before the residency exists: it looks at start
            residency.lifecyclesChanged();
        }
    }

    void updatedModelLifecycle(ModelLifecycle lifecycle, Map<String, Object> properties) {
        bindModelLifecycle(lifecycle, properties);
    }

    void unbindModelLifecycle(ModelLifecycle lifecycle, Map<String, Object> properties) {
        lifecycles.remove((Long) properties.get("service.id"));
        residency.lifecyclesChanged();
    }

    void unbindHandler(BatchItemHandler<?> handler, Map<String, Object> properties) {
        handlers.remove(HandlerRegistration.of(handler, properties).serviceId());
    }

    @Override
    public String enqueue(BatchJob<?> job) {
        return queue.enqueue(job);
    }

    @Override
    public Optional<BatchJob<?>> nextQueued() {
        return queue.nextQueued();
    }

    @Override
    public void markRunning(String jobId) {
        queue.markRunning(jobId);
    }

    @Override
    public void updateItem(String jobId, String itemId, BatchItemStatus status, String error, Long durationMs) {
        queue.updateItem(jobId, itemId, status, error, durationMs);
    }

    @Override
    public void updateItem(String jobId, String itemId, BatchItemStatus status, String error, Long durationMs,
            String output) {
        queue.updateItem(jobId, itemId, status, error, durationMs, output);
    }

    @Override
    public BatchCompletionSummary markCompleted(String jobId) {
        return queue.markCompleted(jobId);
    }

    @Override
    public void cancelJob(String jobId) {
        queue.cancelJob(jobId);
    }

    @Override
    public void cancelItem(String jobId, String itemId) {
        queue.cancelItem(jobId, itemId);
    }

    @Override
    public void retryFailed(String jobId) {
        queue.retryFailed(jobId);
    }

    @Override
    public List<BatchJob<?>> listJobs() {
        return queue.listJobs();
    }

    @Override
    public Optional<BatchJob<?>> getJob(String jobId) {
        return queue.getJob(jobId);
    }

    @Override
    public OptionalLong estimateRemainingMs(String jobId) {
        return queue.estimateRemainingMs(jobId);
    }

    @Override
    public long etaSampleCount(String resourceKey, String operation, SizeBucket bucket) {
        return queue.etaSampleCount(resourceKey, operation, bucket);
    }

    @Override
    public Optional<BatchEstimate> estimate(String jobId) {
        return queue.estimate(jobId);
    }

    @Override
    public void pause() {
        queue.pause();
    }

    @Override
    public void resume() {
        queue.resume();
    }

    @Override
    public boolean isPaused() {
        return queue.isPaused();
    }

    @Override
    public void moveToFront(String jobId) {
        queue.moveToFront(jobId);
    }

    @Override
    public void setPriority(String jobId, JobPriority priority) {
        queue.setPriority(jobId, priority);
    }

    @Override
    public void purge(String jobId) {
        queue.purge(jobId);
    }

    @Override
    public int purgeFinished(Instant finishedBefore) {
        return queue.purgeFinished(finishedBefore);
    }

    @Override
    public boolean hasRunningJob() {
        return queue.hasRunningJob();
    }

    @Override
    public int queuedCount() {
        return queue.queuedCount();
    }
}

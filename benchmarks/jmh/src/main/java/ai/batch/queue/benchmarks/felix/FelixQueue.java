package ai.batch.queue.benchmarks.felix;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.benchmarks.support.NoopHandler;
import ai.batch.queue.handler.BatchItemHandler;

/**
 * The queue running in an embedded Felix, set up the way the end-to-end benchmarks need it: configured through
 * ConfigurationAdmin before its first activation, a {@link NoopHandler} for model {@value NoopHandler#RESOURCE}
 * and a {@link ProgressCounter} on {@code ai_batch/*}, both registered from outside the framework.
 */
public final class FelixQueue implements AutoCloseable {

    private final EmbeddedFelix felix;
    private final BatchQueue queue;
    private final NoopHandler handler = new NoopHandler();
    private final ProgressCounter counter = new ProgressCounter();
    private final Path journalDirectory;

    private FelixQueue(EmbeddedFelix felix, Path journalDirectory, boolean events) {
        this.felix = felix;
        this.journalDirectory = journalDirectory;
        felix.register(EventHandler.class, counter, Map.of(EventConstants.EVENT_TOPIC, BatchEvents.TOPIC_ALL));
        felix.register(BatchItemHandler.class, handler, Map.of(BatchItemHandler.RESOURCE, NoopHandler.RESOURCE));
        Map<String, Object> configuration = new HashMap<>();
        configuration.put("events.enabled", events);
        configuration.put("persistence.enabled", journalDirectory != null);
        if (journalDirectory != null) {
            configuration.put("persistence.directory", journalDirectory.toString());
        }
        this.queue = felix.startQueue(configuration);
        checkPersistence();
    }

    /**
     * @param eventAdminTimeoutMs Felix EventAdmin's {@code Timeout}
     * @param events {@code events.enabled}
     * @param journal {@code persistence.enabled}; when true the journal goes to a new temporary directory
     * @return the running queue
     */
    public static FelixQueue start(int eventAdminTimeoutMs, boolean events, boolean journal) {
        return start(eventAdminTimeoutMs, events, journal, false);
    }

    /**
     * @param eventAdminTimeoutMs Felix EventAdmin's {@code Timeout}
     * @param events {@code events.enabled}
     * @param journal {@code persistence.enabled}; when true the journal goes to a new temporary directory
     * @param dashboard whether the web dashboard runs too (see {@link EmbeddedFelix#start(int, boolean)})
     * @return the running queue
     */
    public static FelixQueue start(int eventAdminTimeoutMs, boolean events, boolean journal, boolean dashboard) {
        Path journalDirectory = null;
        EmbeddedFelix felix = null;
        try {
            journalDirectory = journal ? Files.createTempDirectory("bench-journal-") : null;
            felix = EmbeddedFelix.start(eventAdminTimeoutMs, dashboard);
            return new FelixQueue(felix, journalDirectory, events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (felix != null) {
                felix.close();
            }
            EmbeddedFelix.deleteTree(journalDirectory);
            throw e;
        }
    }

    /**
     * Proves that the configuration took effect before the first activation: with the journal off the queue
     * bundle's data area (the default journal location) stays empty; with it on, the configured directory is
     * used and the data area still stays empty.
     */
    private void checkPersistence() {
        Bundle queueBundle = felix.bundle(EmbeddedFelix.QUEUE_BUNDLE);
        File dataArea = queueBundle.getBundleContext().getDataFile("");
        if (dataArea != null && !filesIn(dataArea.toPath()).isEmpty()) {
            throw new IllegalStateException("The queue wrote " + filesIn(dataArea.toPath()) + " to its data area: "
                    + "the configuration (persistence.enabled=" + (journalDirectory != null) + ") was not applied "
                    + "before activation");
        }
        if (journalDirectory != null && filesIn(journalDirectory).isEmpty()) {
            throw new IllegalStateException("persistence.enabled=true but nothing was written to " + journalDirectory);
        }
    }

    private static List<Path> filesIn(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the queue service */
    public BatchQueue queue() {
        return queue;
    }

    /** @return the dashboard's page; only when started with the dashboard */
    public URI dashboardUri() {
        return felix.dashboardUri();
    }

    /** @return the handler registered for {@value NoopHandler#RESOURCE} */
    public NoopHandler handler() {
        return handler;
    }

    /** @return the subscriber on {@code ai_batch/*} */
    public ProgressCounter counter() {
        return counter;
    }

    /**
     * Enqueues a job and waits until its {@code job_completed} event arrived and every one of its
     * {@code item_progress} events was counted (events must be on).
     *
     * @param job the job; its id must not start like an earlier job's
     * @param items how many items it has
     */
    public void runAndAwaitEvents(BatchJob<?> job, int items) {
        counter.expect(job.id(), 1, items);
        queue.enqueue(job);
        counter.awaitAll();
    }

    /** Removes every finished job, so that one operation's jobs do not pile up in memory. */
    public void purgeFinished() {
        queue.purgeFinished(Instant.MAX);
    }

    /** Stops the framework and deletes its storage and the journal directory. */
    @Override
    public void close() {
        try {
            felix.close();
        } finally {
            EmbeddedFelix.deleteTree(journalDirectory);
        }
    }
}

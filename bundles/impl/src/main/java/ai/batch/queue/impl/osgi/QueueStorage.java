package ai.batch.queue.impl.osgi;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.QueueAdmin;
import ai.batch.queue.impl.events.EventPublisher;
import ai.batch.queue.impl.journal.DurableStore;
import ai.batch.queue.impl.journal.ReplayClock;
import ai.batch.queue.impl.notify.QueueListener;

/**
 * Opens the journal for the queue component: rebuilds the queue, reports what recovery found (log and, once
 * EventAdmin is there, an event), and decides what happens when the journal cannot be used. Decision: the queue
 * degrades to memory only, with an error in the log and an {@code ai_batch/persistence_failed} event, rather than
 * refusing to start: a desktop application keeps working, and the failure is loud. One rule for every way the
 * journal can be unusable (a read-only directory or file, an unreadable file, a directory that cannot be made):
 * the queue starts with whatever it could read (see {@link DurableStore}), running jobs back in the queue, and the
 * journal's files are left as they were.
 */
final class QueueStorage implements QueueListener, AutoCloseable {

    private final DurableStore store;
    private QueueAdmin queue;
    private volatile long compactAfterRecords = Long.MAX_VALUE;
    private final AtomicReference<Consumer<EventPublisher>> pendingReport = new AtomicReference<>();
    private final AtomicReference<EventPublisher> publisher = new AtomicReference<>();

    private QueueStorage(DurableStore store) {
        this.store = store;
    }

    static QueueStorage open(QueueSettings settings, BundleContext context, QueueAdmin queue, ReplayClock clock,
            Logger logger) {
        if (!settings.persistenceEnabled()) {
            logger.info("Queue runs in memory only (persistence.enabled=false)");
            return new QueueStorage(null);
        }
        Path directory;
        try {
            directory = directory(settings, context);
        } catch (RuntimeException e) {
            return failed(null, e, logger);
        }
        QueueStorage[] self = new QueueStorage[1];
        DurableStore store = DurableStore.open(directory, queue, clock, error -> {
            logger.error("Journal write failed in {}: the queue goes on in memory only and a crash would lose"
                    + " it", directory, error);
            if (self[0] != null) { // a failure while recovery still writes is reported by the log alone
                self[0].announce(events -> events.persistenceFailed(directory.toString(),
                        String.valueOf(error)));
            }
        }, settings.threadNamePrefix() + "-journal");
        self[0] = new QueueStorage(store);
        self[0].queue = queue;
        self[0].compactAfterRecords = settings.compactAfterRecords();
        self[0].reportRecovery(store.report(), logger);
        if (store.report().failure() != null) {
            self[0].reportUnusable(directory, store.report().failure(), logger);
        }
        self[0].compactIfLarge();
        return self[0];
    }

    private static Path directory(QueueSettings settings, BundleContext context) {
        String configured = settings.persistenceDirectory();
        if (!configured.isBlank()) {
            return Paths.get(configured);
        }
        java.io.File dataArea = context == null ? null : context.getDataFile("journal");
        if (dataArea == null) {
            throw new IllegalStateException("no persistence.directory configured and the framework has no bundle "
                    + "data area");
        }
        return dataArea.toPath();
    }

    private static QueueStorage failed(Path directory, Exception e, Logger logger) {
        QueueStorage storage = new QueueStorage(null);
        storage.reportUnusable(directory, e, logger);
        return storage;
    }

    private void reportUnusable(Path directory, Exception e, Logger logger) {
        logger.error("Cannot use the journal in {} ({}): THE QUEUE RUNS IN MEMORY ONLY with what it could read, and a"
                + " crash or restart will lose every change from now on; the journal's files are left as they were."
                + " Fix the directory's or the file's permissions, or set persistence.directory.", directory,
                e.toString());
        announce(events -> events.persistenceFailed(String.valueOf(directory), e.toString()));
    }

    private void reportRecovery(DurableStore.Report report, Logger logger) {
        logger.info("Journal {}: {} records replayed, {} jobs, {} running jobs put back in the queue",
                report.directory(), report.recordsRecovered(), report.jobs(), report.requeued());
        if (!report.problems().isEmpty()) {
            String kept = report.movedAside() != null ? "the damaged file is kept as " + report.movedAside()
                    : "the damaged file was left in place (the journal cannot be written)";
            logger.error("Journal {} was damaged: {} records lost, {} problems, {}; what was intact is in the queue."
                    + " That file shows what was lost (one JSON record per line); delete it when done. First problems:"
                    + " {}", report.directory(), report.lost(), report.problems().size(), kept,
                    report.problems().subList(0, Math.min(10, report.problems().size())));
        }
        announce(events -> events.journalRecovered(report.directory().toString(), report.recordsRecovered(),
                report.jobs(), report.requeued(), report.lost(), report.problems(),
                report.movedAside() == null ? null : report.movedAside().toString()));
    }

    /** Posts now if events can go out, else as soon as {@link #eventsReady} is called. */
    private void announce(Consumer<EventPublisher> announcement) {
        EventPublisher events = publisher.get();
        if (events != null) {
            announcement.accept(events);
        } else {
            pendingReport.accumulateAndGet(announcement, (earlier, next) -> earlier == null ? next
                    : earlier.andThen(next));
        }
    }

    /** EventAdmin is bound: posts what recovery found. */
    void eventsReady(EventPublisher events) {
        publisher.set(events);
        Consumer<EventPublisher> pending = pendingReport.getAndSet(null);
        if (pending != null) {
            pending.accept(events);
        }
    }

    /** A job ended (and retention may have removed old ones): compacts the journal if it grew too large. */
    @Override
    public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
        compactIfLarge();
    }

    private void compactIfLarge() {
        if (store != null) {
            store.compactIfLarger(queue, compactAfterRecords);
        }
    }

    /** @return whether changes go to a working journal */
    boolean durable() {
        return store != null && !store.failed();
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}

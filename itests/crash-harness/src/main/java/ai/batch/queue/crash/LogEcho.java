package ai.batch.queue.crash;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Copies log entries to standard output (which the test keeps per life), so that what the queue says about
 * recovering its state, or failing to, is next to the harness's own lines: INFO and above from the queue's
 * bundles (without the framework's bundle and service events), WARN and above from everything else. DS logs
 * only to the Log Service, never to the console.
 */
final class LogEcho extends ServiceTracker<LogReaderService, LogReaderService> implements LogListener {

    private static final String QUEUE_BUNDLES = "ai.batch.queue";
    /** Logger names of the framework's bundle and service events (INFO), logged on behalf of each bundle. */
    private static final String FRAMEWORK_EVENTS = "Events.";

    LogEcho(BundleContext context) {
        super(context, LogReaderService.class, null);
    }

    @Override
    public LogReaderService addingService(ServiceReference<LogReaderService> reference) {
        LogReaderService reader = super.addingService(reference);
        if (reader != null) {
            List<LogEntry> earlier = new ArrayList<>();
            for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
                earlier.add(e.nextElement());
            }
            Collections.reverse(earlier); // getLog() is newest first
            earlier.forEach(this::logged);
            reader.addLogListener(this);
        }
        return reader;
    }

    @Override
    public void removedService(ServiceReference<LogReaderService> reference, LogReaderService reader) {
        reader.removeLogListener(this);
        super.removedService(reference, reader);
    }

    @Override
    public void logged(LogEntry entry) {
        String bundle = entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName();
        LogLevel threshold = bundle != null && bundle.startsWith(QUEUE_BUNDLES) ? LogLevel.INFO : LogLevel.WARN;
        String loggerName = entry.getLoggerName();
        if (!threshold.implies(entry.getLogLevel()) || loggerName != null && loggerName.startsWith(FRAMEWORK_EVENTS)) {
            return;
        }
        StringBuilder line = new StringBuilder("[log ").append(entry.getLogLevel()).append(' ').append(bundle)
                .append("] ").append(entry.getMessage());
        synchronized (System.out) {
            System.out.println(line);
            if (entry.getException() != null) {
                entry.getException().printStackTrace(System.out);
            }
        }
    }
}

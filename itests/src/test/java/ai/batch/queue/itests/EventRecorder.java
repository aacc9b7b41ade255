package ai.batch.queue.itests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.Predicate;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import ai.batch.queue.BatchEvents;

/**
 * Subscribes to {@code ai_batch/*} as a UI would and keeps every event; waiting methods block on the recorder's
 * monitor until a matching event arrives or the deadline passes.
 */
public final class EventRecorder implements EventHandler, AutoCloseable {

    public static final Duration DEADLINE = Duration.ofSeconds(20);

    private final List<Event> events = new ArrayList<>();
    private final ServiceRegistration<EventHandler> registration;

    public EventRecorder(BundleContext context) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, BatchEvents.TOPIC_ALL);
        registration = context.registerService(EventHandler.class, this, props);
    }

    @Override
    public synchronized void handleEvent(Event event) {
        events.add(event);
        notifyAll();
    }

    /** Events of one topic about one job, in arrival order. */
    public synchronized List<Event> of(String topic, String jobId) {
        List<Event> matching = new ArrayList<>();
        for (Event event : events) {
            if (event.getTopic().equals(topic) && jobId.equals(event.getProperty(BatchEvents.JOB_ID))) {
                matching.add(event);
            }
        }
        return matching;
    }

    public synchronized List<Event> all() {
        return new ArrayList<>(events);
    }

    /** Waits for the job's {@code job_completed} event. */
    public Event awaitCompleted(String jobId) {
        return await(BatchEvents.TOPIC_JOB_COMPLETED, jobId);
    }

    public Event await(String topic, String jobId) {
        return await(event -> event.getTopic().equals(topic) && jobId.equals(event.getProperty(BatchEvents.JOB_ID)),
                topic + " for job " + jobId);
    }

    /** Waits until an event matches, and returns the first that does. */
    public Event await(Predicate<Event> matcher, String description) {
        return awaitFrom(0, matcher, description);
    }

    /** The number of events so far: a mark for {@link #awaitFrom}. */
    public synchronized int mark() {
        return events.size();
    }

    /** Waits until an event at or after position {@code from} matches, and returns the first that does. */
    public synchronized Event awaitFrom(int from, Predicate<Event> matcher, String description) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int checked = from;
        while (true) {
            for (; checked < events.size(); checked++) {
                if (matcher.test(events.get(checked))) {
                    return events.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No event " + description + " within " + DEADLINE + "; got: " + summary());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + description, e);
            }
        }
    }

    private String summary() {
        StringBuilder text = new StringBuilder();
        for (Event event : events) {
            text.append("\n  ").append(event.getTopic()).append(' ').append(event.getProperty(BatchEvents.JSON));
        }
        return text.toString();
    }

    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is shutting down
        }
    }
}

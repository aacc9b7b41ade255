package ai.batch.queue.impl.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.service.event.Event;

/**
 * Optional rate limit of item events per job ({@code events.progress.maxRate}), for user interfaces that do
 * not need an event per item of a fast batch. Within the limit every event passes. Beyond it, an
 * {@code item_started} event is left out and an {@code item_progress} event is held back, replacing the one held
 * before (each carries the job's running totals, so the latest says everything the earlier ones said); the held
 * event is delivered before the next event that passes and before the job's end, requeue, cancellation or a
 * pause. Off (0) by default.
 */
final class ProgressThrottle {

    private static final List<Event> NONE = List.of();

    /** A job's last delivery and the progress event held back since. */
    private static final class JobState {
        long lastNanos;
        Event held;
    }

    private final Map<String, JobState> jobs = new HashMap<>();
    private volatile long intervalNanos;

    /** @throws IllegalArgumentException naming {@code events.progress.maxRate} if the rate is not valid */
    static void check(double perSecond) {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("events.progress.maxRate must be 0 (off) or a positive number of "
                    + "events per second, was " + perSecond);
        }
    }

    void setMaxRate(double perSecond) {
        check(perSecond);
        intervalNanos = perSecond == 0 ? 0 : Math.max(1, Math.round(TimeUnit.SECONDS.toNanos(1) / perSecond));
    }

    /** @return the events to deliver now for an item that started */
    List<Event> started(String jobId, Event event) {
        return pass(jobId, event, false);
    }

    /** @return the events to deliver now for an item that finished */
    List<Event> progress(String jobId, Event event) {
        return pass(jobId, event, true);
    }

    /** @return the held event of a job that ended, to deliver before its end; forgets the job */
    synchronized List<Event> ended(String jobId) {
        JobState state = jobs.remove(jobId);
        return state == null || state.held == null ? NONE : List.of(state.held);
    }

    /** @return the held event of a job, to deliver now */
    synchronized List<Event> held(String jobId) {
        JobState state = jobs.get(jobId);
        if (state == null || state.held == null) {
            return NONE;
        }
        Event held = state.held;
        state.held = null;
        return List.of(held);
    }

    /** @return every held event, to deliver now */
    synchronized List<Event> allHeld() {
        List<Event> held = new ArrayList<>();
        for (JobState state : jobs.values()) {
            if (state.held != null) {
                held.add(state.held);
                state.held = null;
            }
        }
        return held;
    }

    private synchronized List<Event> pass(String jobId, Event event, boolean holdBack) {
        long interval = intervalNanos;
        if (interval == 0) {
            if (!jobs.isEmpty()) {
                return release(jobs.remove(jobId), event); // the limit was just turned off
            }
            return List.of(event);
        }
        JobState state = jobs.computeIfAbsent(jobId, id -> new JobState());
        long now = System.nanoTime();
        if (state.lastNanos == 0 || now - state.lastNanos >= interval) {
            state.lastNanos = now;
            Event held = state.held;
            state.held = null;
            return held == null ? List.of(event) : List.of(held, event);
        }
        if (holdBack) {
            state.held = event;
        }
        return NONE;
    }

    private static List<Event> release(JobState state, Event event) {
        return state == null || state.held == null ? List.of(event) : List.of(state.held, event);
    }
}

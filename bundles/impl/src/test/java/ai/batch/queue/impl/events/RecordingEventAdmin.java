package ai.batch.queue.impl.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Keeps every posted event. */
public final class RecordingEventAdmin implements EventAdmin {

    public final List<Event> posted = new CopyOnWriteArrayList<>();

    @Override
    public void postEvent(Event event) {
        posted.add(event);
    }

    @Override
    public void sendEvent(Event event) {
        posted.add(event); // the queue delivers on a thread of its own, so sending is asynchronous to its callers
    }

    public List<Event> topic(String topic) {
        return posted.stream().filter(e -> e.getTopic().equals(topic)).toList();
    }
}

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
        throw new AssertionError("events must be posted asynchronously, not sent: " + event.getTopic());
    }

    public List<Event> topic(String topic) {
        return posted.stream().filter(e -> e.getTopic().equals(topic)).toList();
    }
}

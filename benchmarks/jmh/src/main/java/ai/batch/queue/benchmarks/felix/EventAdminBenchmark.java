package ai.batch.queue.benchmarks.felix;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import ai.batch.queue.benchmarks.support.Deadline;

/**
 * Case (e): Felix EventAdmin alone, in the same embedded framework (the queue bundle installed but not started).
 * One operation posts (or sends) {@link #events} events to one counting subscriber and waits until all were
 * delivered. The report multiplies operations per second by {@link #events}. This is the ceiling for anything that
 * reports each item through EventAdmin.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventAdminBenchmark {

    private static final String TOPIC = "bench/event";

    /** Events per operation. */
    @Param("10000")
    public int events;

    /** Felix EventAdmin's {@code Timeout} in ms. */
    @Param({"0", "5000"})
    public int eventAdminTimeout;

    /** {@code post}: {@code postEvent} (asynchronous); {@code send}: {@code sendEvent} (synchronous). */
    @Param({"post", "send"})
    public String delivery;

    private EmbeddedFelix felix;
    private EventAdmin eventAdmin;
    private final Subscriber subscriber = new Subscriber();
    private Event event;

    @Setup(Level.Trial)
    public void startFramework() {
        felix = EmbeddedFelix.start(eventAdminTimeout);
        felix.register(EventHandler.class, subscriber, Map.of(EventConstants.EVENT_TOPIC, TOPIC));
        eventAdmin = felix.service(EventAdmin.class);
        event = new Event(TOPIC, Map.of("jobId", "job", "itemId", "item", "status", "completed"));
    }

    @Benchmark
    public void deliverEvents() {
        CountDownLatch done = subscriber.expect(events);
        if ("send".equals(delivery)) {
            for (int i = 0; i < events; i++) {
                eventAdmin.sendEvent(event);
            }
        } else {
            for (int i = 0; i < events; i++) {
                eventAdmin.postEvent(event);
            }
        }
        Deadline.await(done, Deadline.OPERATION, () -> subscriber.received.get() + " of " + events + " delivered");
    }

    @TearDown(Level.Trial)
    public void stopFramework() {
        if (felix != null) {
            felix.close();
        }
    }

    /** Counts deliveries and opens the latch at the expected count. */
    private static final class Subscriber implements EventHandler {
        final AtomicLong received = new AtomicLong();
        private volatile long target;
        private volatile CountDownLatch latch;

        CountDownLatch expect(long count) {
            received.set(0);
            target = count;
            latch = new CountDownLatch(1);
            return latch;
        }

        @Override
        public void handleEvent(Event event) {
            if (received.incrementAndGet() == target) {
                latch.countDown();
            }
        }
    }
}

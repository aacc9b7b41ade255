package ai.batch.queue.benchmarks.felix;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.benchmarks.support.Deadline;

/**
 * An EventAdmin subscriber on {@code ai_batch/*}, registered from outside the framework, that counts the
 * {@code item_progress} and {@code job_completed} events of the jobs one benchmark operation enqueued (their ids
 * share a prefix) and releases a latch when both counts are complete.
 */
public final class ProgressCounter implements EventHandler {

    private final AtomicLong eventsSeen = new AtomicLong();
    private volatile Expectation current;

    @Override
    public void handleEvent(Event event) {
        eventsSeen.incrementAndGet();
        Expectation expectation = current;
        if (expectation == null) {
            return;
        }
        String topic = event.getTopic();
        if (BatchEvents.TOPIC_ITEM_PROGRESS.equals(topic)) {
            if (expectation.matches(event)) {
                expectation.progress.incrementAndGet();
                expectation.checkDone();
            }
        } else if (BatchEvents.TOPIC_JOB_COMPLETED.equals(topic) && expectation.matches(event)) {
            expectation.completed.incrementAndGet();
            expectation.checkDone();
        }
    }

    /**
     * Starts counting for one operation. Call before enqueuing.
     *
     * @param jobIdPrefix the prefix every job id of the operation starts with (and no other job's does)
     * @param jobs how many {@code job_completed} events to wait for
     * @param items how many {@code item_progress} events to wait for
     */
    public void expect(String jobIdPrefix, long jobs, long items) {
        current = new Expectation(jobIdPrefix, jobs, items);
    }

    /**
     * Waits until every expected event arrived; fails on timeout, or if more events arrived than expected.
     */
    public void awaitAll() {
        Expectation expectation = current;
        Deadline.await(expectation.done, Deadline.OPERATION, expectation::describe);
        if (expectation.progress.get() != expectation.items || expectation.completed.get() != expectation.jobs) {
            throw new IllegalStateException("Unexpected event count: " + expectation.describe());
        }
    }

    /** @return all events delivered to this subscriber so far, whatever the topic */
    public long eventsSeen() {
        return eventsSeen.get();
    }

    private static final class Expectation {
        final String prefix;
        final long jobs;
        final long items;
        final AtomicLong progress = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);

        Expectation(String prefix, long jobs, long items) {
            this.prefix = prefix;
            this.jobs = jobs;
            this.items = items;
        }

        boolean matches(Event event) {
            Object jobId = event.getProperty(BatchEvents.JOB_ID);
            return jobId instanceof String id && id.startsWith(prefix);
        }

        void checkDone() {
            if (completed.get() >= jobs && progress.get() >= items) {
                done.countDown();
            }
        }

        String describe() {
            return "jobs " + prefix + "*: " + progress.get() + "/" + items + " item_progress and "
                    + completed.get() + "/" + jobs + " job_completed events";
        }
    }
}

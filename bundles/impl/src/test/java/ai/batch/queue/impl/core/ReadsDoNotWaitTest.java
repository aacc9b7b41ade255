package ai.batch.queue.impl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchJob;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

/**
 * Reads never wait for event subscribers: with the notification backlog full behind a stuck listener, a writer
 * waits for room (up to its limit), but every read returns at once, even one that brings a stale plan up to date
 * and so has a plan change to announce.
 */
class ReadsDoNotWaitTest {

    private static final long WRITER_WAIT_MS = 60_000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CoreBatchQueue queue = new CoreBatchQueue(clock, new ModelAwarePlanner(Duration.ofMinutes(1)),
            (message, error) -> { });
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        queue.admin().closeNotifications();
    }

    @Test
    void everyReadReturnsWhileAStuckListenerHoldsAFullBacklog() throws Exception {
        queue.admin().deliverOnThread(1, WRITER_WAIT_MS, "reads-test-notify");
        CountDownLatch stuck = new CountDownLatch(1);
        List<Integer> planSizes = new CopyOnWriteArrayList<>();
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobQueued(BatchJob<?> job, QueuedCause cause) {
                stuck.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void planChanged(List<BatchJob<?>> plan) {
                planSizes.add(plan.size());
            }
        });
        // The writes fill the backlog behind the stuck listener; they wait for room on a thread of their own.
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            queue.enqueue(QueueTestSupport.job("llava:13b", "tag", "a").withId("first"));
            queue.enqueue(QueueTestSupport.job("moondream", "caption", "a").withId("other-model"));
            queue.enqueue(QueueTestSupport.job("llava:13b", "tag", "b").withId("second"));
        });
        assertThat(stuck.await(10, TimeUnit.SECONDS)).as("the listener is stuck").isTrue();
        clock.advance(Duration.ofMinutes(5)); // every job overdue: the plan is stale and re-plans on read

        CompletableFuture<List<BatchJob<?>>> reads = CompletableFuture.supplyAsync(() -> {
            queue.getJob("first").orElseThrow();
            queue.nextQueued();
            queue.estimate("first");
            queue.estimateRemainingMs("first");
            queue.isPaused();
            queue.queuedCount();
            return queue.listJobs();
        });
        assertThat(reads.get(10, TimeUnit.SECONDS)).as("reads answered while the writer may wait %d ms",
                WRITER_WAIT_MS).isNotEmpty();

        release.countDown();
        writer.get(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> planSizes.contains(3));
    }
}

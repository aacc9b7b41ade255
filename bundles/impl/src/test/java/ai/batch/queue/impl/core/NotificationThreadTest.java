package ai.batch.queue.impl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchJob;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

/**
 * Notifications delivered on the queue's own thread: in order, after the change is durable, with a bounded
 * backlog that slows writers down but never wedges them, and without waits for writes made by listeners.
 */
class NotificationThreadTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final CoreBatchQueue queue = new CoreBatchQueue(java.time.Clock.systemUTC(), new ModelAwarePlanner(),
            (message, error) -> problems.add(message));
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        queue.admin().closeNotifications();
    }

    private static BatchJob<String> job(String id) {
        return QueueTestSupport.job("m", "tag", "a").withId(id);
    }

    private Thread deliveringThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("test-notify"))
                .findFirst().orElseThrow();
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void writersReturnBeforeListenersRunAndListenersSeeEveryChangeInOrderOnOneThread() {
        queue.admin().deliverOnThread(1_000, 10_000, "test-notify");
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobQueued(BatchJob<?> job, QueuedCause cause) {
                awaitRelease();
                seen.add(job.id());
                threads.add(Thread.currentThread().getName());
            }
        });
        for (int i = 0; i < 50; i++) {
            queue.enqueue(job("j" + i)); // returns although the listener is blocked
        }
        assertThat(seen).isEmpty();
        release.countDown();
        queue.admin().flushNotifications();
        assertThat(seen).hasSize(50).startsWith("j0", "j1", "j2").endsWith("j49");
        assertThat(threads).containsOnly("test-notify");
    }

    @Test
    void aFullBacklogMakesWritersWaitUntilThereIsRoom() {
        queue.admin().deliverOnThread(3, 60_000, "test-notify");
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobQueued(BatchJob<?> job, QueuedCause cause) {
                awaitRelease();
            }
        });
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                queue.enqueue(job("j" + i));
                written.incrementAndGet();
            }
        });
        writer.start();
        Awaitility.await().atMost(DEADLINE).until(() -> writer.getState() == Thread.State.TIMED_WAITING);
        assertThat(written.get()).as("writes ahead of a blocked listener").isLessThanOrEqualTo(5);
        release.countDown();
        Awaitility.await().atMost(DEADLINE).until(() -> written.get() == 20);
    }

    @Test
    void aStuckListenerSlowsWritersDownButNeverWedgesThem() {
        queue.admin().deliverOnThread(1, 100, "test-notify");
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobQueued(BatchJob<?> job, QueuedCause cause) {
                awaitRelease();
            }
        });
        for (int i = 0; i < 10; i++) {
            queue.enqueue(job("j" + i)); // each waits at most 100 ms for room, then goes on
        }
        assertThat(problems).anyMatch(message -> message.contains("have not taken a notification for 100 ms"));
    }

    @Test
    void aListenerWritingToTheQueueOnTheDeliveringThreadNeverWaitsForRoom() {
        queue.admin().deliverOnThread(1, 60_000, "test-notify");
        AtomicInteger nested = new AtomicInteger();
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobQueued(BatchJob<?> job, QueuedCause cause) {
                if (job.id().startsWith("j")) {
                    queue.enqueue(job("nested-" + job.id())); // a backlog of 1 is full here
                    nested.incrementAndGet();
                }
            }
        });
        for (int i = 0; i < 5; i++) {
            queue.enqueue(job("j" + i));
        }
        queue.admin().flushNotifications();
        assertThat(nested.get()).isEqualTo(5);
        assertThat(queue.queuedCount()).isEqualTo(10);
    }

    @Test
    void notificationsWaitUntilTheirChangeIsDurable() {
        AtomicLong appended = new AtomicLong();
        AtomicLong durable = new AtomicLong(Long.MAX_VALUE); // everything durable until the test holds it back
        queue.admin().setChangeLog(new ChangeLog() {
            @Override
            public long append(Change change) {
                return appended.incrementAndGet();
            }

            @Override
            public void awaitDurable(long ticket) {
                Awaitility.await().atMost(DEADLINE).until(() -> durable.get() >= ticket);
            }
        });
        queue.enqueue(job("j"));
        queue.admin().deliverOnThread(100, 10_000, "test-notify");
        List<String> seen = new CopyOnWriteArrayList<>();
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void itemStarted(String jobId, ai.batch.queue.BatchItem<?> item, String slot) {
                seen.add(item.id());
            }
        });
        queue.markRunning("j");
        durable.set(appended.get()); // from here on, nothing new is durable

        assertThat(queue.executor().tryUpdateItem("j", "a", ai.batch.queue.BatchItemStatus.RUNNING, null, null, null))
                .as("the executor's write returns before it is durable").isTrue();
        Awaitility.await().atMost(DEADLINE).until(() -> java.util.Arrays.stream(deliveringThread().getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("awaitDurable")));
        assertThat(seen).as("announced before durable").isEmpty();
        durable.set(Long.MAX_VALUE);
        Awaitility.await().atMost(DEADLINE).until(() -> seen.equals(List.of("a")));
    }
}

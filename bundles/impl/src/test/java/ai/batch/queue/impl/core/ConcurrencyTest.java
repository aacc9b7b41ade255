package ai.batch.queue.impl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.notify.QueueListener;

/** Many threads drive one queue at once; afterwards every invariant of the state machine must still hold. */
class ConcurrencyTest extends QueueTestSupport {

    private static final int THREADS = 6;
    private static final int OPS_PER_THREAD = 1_000;
    private static final String[] MODELS = {"llava", "moondream", "qwen"};
    private static final String[] OPERATIONS = {"tag", "caption"};
    private static final BatchItemStatus[] UPDATES = {BatchItemStatus.RUNNING, BatchItemStatus.COMPLETED,
        BatchItemStatus.FAILED, BatchItemStatus.SKIPPED, BatchItemStatus.CANCELLED};

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Checks, as notifications arrive, that they come one at a time and that progress rises by one per run. */
    private static final class OrderChecker implements QueueListener {
        final List<String> problems = new CopyOnWriteArrayList<>();
        final AtomicInteger notifications = new AtomicInteger();
        private final AtomicBoolean inside = new AtomicBoolean();
        private final Map<String, Integer> lastCompleted = new ConcurrentHashMap<>();

        private void enter() {
            notifications.incrementAndGet();
            if (!inside.compareAndSet(false, true)) {
                problems.add("two notifications delivered at once");
            }
        }

        private void leave() {
            inside.set(false);
        }

        @Override
        public void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
            enter();
            int alreadyFinal = (int) job.items().stream().filter(item -> item.status().isFinal()).count();
            lastCompleted.put(job.id(), alreadyFinal);
            leave();
        }

        @Override
        public void itemFinished(ItemProgress progress) {
            enter();
            Integer last = lastCompleted.get(progress.jobId());
            if (last == null) {
                problems.add("progress before start of " + progress.jobId());
            } else if (progress.completed() != last + 1) {
                problems.add("progress of " + progress.jobId() + " went from " + last + " to "
                        + progress.completed());
            }
            lastCompleted.put(progress.jobId(), progress.completed());
            if (progress.completed() > progress.total()) {
                problems.add("completed beyond total for " + progress.jobId());
            }
            leave();
        }
    }

    @Test
    void concurrentCallersKeepEveryInvariant() throws Exception {
        OrderChecker checker = new OrderChecker();
        queue.admin().listeners().add(checker);
        List<String> ids = new CopyOnWriteArrayList<>();
        Map<String, Integer> itemCounts = new ConcurrentHashMap<>();
        AtomicLong samplesAdded = new AtomicLong();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        List<BatchJob<?>[]> snapshots = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> succeeded = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);

        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit((Callable<Void>) () -> {
                Random random = new Random(1000 + thread);
                assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                for (int op = 0; op < OPS_PER_THREAD; op++) {
                    try {
                        String done = step(thread, op, random, ids, itemCounts, samplesAdded, snapshots);
                        succeeded.computeIfAbsent(done, key -> new AtomicInteger()).incrementAndGet();
                    } catch (IllegalStateException expected) {
                        // a transition another thread made impossible: documented
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }

        assertThat(unexpected).isEmpty();
        assertThat(succeeded.keySet()).as("every kind of call succeeded at least once, so the run meant something")
                .contains("enqueue", "markRunning", "updateItem", "cancelItem", "cancelJob", "markCompleted",
                        "retryFailed", "read");
        assertThat(checker.problems).isEmpty();
        assertThat(checker.notifications.get()).isPositive();
        assertInvariants(ids, itemCounts, samplesAdded.get());
        for (BatchJob<?>[] pair : snapshots) {
            assertThat(pair[0]).as("snapshot taken during the run").isEqualTo(pair[1]);
        }
    }

    /** Performs one random call and returns its kind; throws when the queue refuses it. */
    private String step(int thread, int op, Random random, List<String> ids, Map<String, Integer> itemCounts,
            AtomicLong samplesAdded, List<BatchJob<?>[]> snapshots) {
        if (ids.isEmpty() || random.nextInt(100) < 20) {
            int size = 1 + random.nextInt(4);
            List<BatchItem<String>> items = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                items.add(BatchItem.of("i" + i, "d" + i, SizeBucket.values()[random.nextInt(4)]));
            }
            BatchJob<String> job = BatchJob.of(MODELS[random.nextInt(MODELS.length)],
                    OPERATIONS[random.nextInt(OPERATIONS.length)], OverwritePolicy.SKIP, items);
            String id = queue.enqueue(random.nextBoolean() ? job : job.withId("t" + thread + "-" + op));
            itemCounts.put(id, size);
            ids.add(id);
            return "enqueue";
        }
        String id = ids.get(random.nextInt(ids.size()));
        String itemId = "i" + random.nextInt(itemCounts.get(id));
        switch (random.nextInt(10)) {
            case 0 -> {
                queue.markRunning(id);
                return "markRunning";
            }
            case 1, 2, 3 -> {
                BatchItemStatus status = UPDATES[random.nextInt(UPDATES.length)];
                Long duration = random.nextInt(4) == 0 ? null : (long) random.nextInt(1000);
                boolean applied = queue.executor().tryUpdateItem(id, itemId, status, null, duration, null);
                if (applied && status == BatchItemStatus.COMPLETED && duration != null) {
                    samplesAdded.incrementAndGet();
                }
                return "updateItem";
            }
            case 4 -> {
                queue.cancelItem(id, itemId);
                return "cancelItem";
            }
            case 5 -> {
                queue.cancelJob(id);
                return "cancelJob";
            }
            case 6 -> {
                queue.markCompleted(id);
                return "markCompleted";
            }
            case 7 -> {
                queue.retryFailed(id);
                return "retryFailed";
            }
            case 8 -> {
                BatchJob<?> snapshot = queue.getJob(id).orElseThrow();
                snapshots.add(new BatchJob<?>[] {snapshot, QueryTest.copy(snapshot)});
                queue.estimateRemainingMs(id);
                return "read";
            }
            default -> {
                List<BatchJob<?>> jobs = queue.listJobs();
                queue.nextQueued();
                if (jobs.isEmpty()) {
                    throw new AssertionError("listJobs lost every job");
                }
                queue.updateItem(id, itemId, BatchItemStatus.RUNNING, null, null);
                return "updateItem";
            }
        }
    }

    private void assertInvariants(List<String> ids, Map<String, Integer> itemCounts, long samplesAdded) {
        List<BatchJob<?>> jobs = queue.listJobs();
        Set<String> listed = new HashSet<>();
        jobs.forEach(job -> listed.add(job.id()));
        assertThat(listed).as("ids unique").hasSize(jobs.size()).hasSameElementsAs(ids);
        assertThat(new HashSet<>(ids)).hasSize(ids.size());

        long queued = jobs.stream().filter(job -> job.status() == BatchJobStatus.QUEUED).count();
        assertThat(queue.queuedCount()).isEqualTo((int) queued);
        assertThat(queue.nextQueued().isPresent()).isEqualTo(queued > 0);
        queue.nextQueued().ifPresent(next -> assertThat(next).isEqualTo(
                jobs.stream().filter(job -> job.status() == BatchJobStatus.QUEUED).findFirst().orElseThrow()));
        assertThat(queue.hasRunningJob())
                .isEqualTo(jobs.stream().anyMatch(job -> job.status() == BatchJobStatus.RUNNING));

        long completedWithDuration = 0;
        for (BatchJob<?> job : jobs) {
            assertThat(job.items()).as("items of %s", job.id()).hasSize(itemCounts.get(job.id()));
            assertThat(job.createdAt()).isNotNull();
            long failed = job.items().stream().filter(item -> item.status() == BatchItemStatus.FAILED).count();
            boolean open = job.items().stream().anyMatch(item -> !item.status().isFinal());
            switch (job.status()) {
                case QUEUED -> assertThat(job.completedAt()).isNull();
                case RUNNING -> {
                    assertThat(job.startedAt()).isNotNull();
                    assertThat(job.completedAt()).isNull();
                }
                case COMPLETED -> {
                    assertThat(failed).as("COMPLETED job %s has no FAILED item", job.id()).isZero();
                    assertThat(job.startedAt()).isNotNull();
                    assertThat(job.completedAt()).isNotNull();
                }
                case COMPLETED_WITH_ERRORS -> {
                    assertThat(failed).as("job %s has a FAILED item", job.id()).isPositive();
                    assertThat(job.completedAt()).isNotNull();
                }
                case CANCELLED -> {
                    assertThat(open).as("CANCELLED job %s has no open item", job.id()).isFalse();
                    assertThat(job.completedAt()).isNotNull();
                }
                default -> throw new AssertionError(job.status());
            }
            for (BatchItem<?> item : job.items()) {
                if (item.status() == BatchItemStatus.COMPLETED && item.durationMs() != null) {
                    completedWithDuration++;
                }
            }
            assertThat(queue.estimateRemainingMs(job.id()).orElse(0)).isNotNegative();
            if (!open) {
                assertThat(queue.estimateRemainingMs(job.id())).hasValue(0L);
            }
        }

        long samples = 0;
        for (String model : MODELS) {
            for (String operation : OPERATIONS) {
                for (SizeBucket bucket : SizeBucket.values()) {
                    samples += queue.etaSampleCount(model, operation, bucket);
                }
            }
        }
        assertThat(samples).as("ETA samples = successful COMPLETED updates with a duration")
                .isEqualTo(samplesAdded)
                .isEqualTo(completedWithDuration);
    }

    @Test
    void sameCallerIdEnqueuedAtOnceIsTakenExactlyOnce() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String model = MODELS[t % MODELS.length];
            futures.add(pool.submit(() -> {
                assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                try {
                    queue.enqueue(job(model, "tag", "a").withId("shared"));
                    return true;
                } catch (IllegalArgumentException taken) {
                    assertThat(taken).hasMessageContaining("shared");
                    return false;
                }
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> future : futures) {
            winners += future.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }

        assertThat(winners).isEqualTo(1);
        assertThat(queue.listJobs()).hasSize(1);
        assertThat(queue.queuedCount()).isEqualTo(1);
    }

    @Test
    void cancelRacingWithCompletionHasOneConsistentOutcome() throws Exception {
        int rounds = 200;
        for (int round = 0; round < rounds; round++) {
            String id = enqueue("race-" + round, "a");
            queue.markRunning(id);
            queue.updateItem(id, "a", BatchItemStatus.RUNNING, null, null);
            CountDownLatch start = new CountDownLatch(1);
            Future<Boolean> cancel = pool.submit(() -> {
                assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                try {
                    queue.cancelItem(id, "a");
                    return true;
                } catch (IllegalStateException alreadyFinal) {
                    return false;
                }
            });
            Future<Boolean> complete = pool.submit(() -> {
                assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                return queue.executor().tryUpdateItem(id, "a", BatchItemStatus.COMPLETED, null, 10L, "late");
            });
            start.countDown();
            boolean cancelled = cancel.get(30, TimeUnit.SECONDS);
            boolean completed = complete.get(30, TimeUnit.SECONDS);

            assertThat(cancelled).as("round %s: exactly one wins", round).isNotEqualTo(completed);
            BatchItem<?> item = item(id, "a");
            assertThat(item.status())
                    .isEqualTo(cancelled ? BatchItemStatus.CANCELLED : BatchItemStatus.COMPLETED);
            assertThat(item.output()).isEqualTo(cancelled ? null : "late");
        }
        long completedItems = queue.listJobs().stream()
                .filter(job -> job.items().get(0).status() == BatchItemStatus.COMPLETED).count();
        assertThat(queue.etaSampleCount("llava:13b", "tag", SizeBucket.SMALL)).isEqualTo(completedItems);
    }
}

package ai.batch.queue.impl.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.impl.config.QueueSettings;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.testing.RecordingLogger;

/**
 * Slots come and go while jobs of four models are enqueued, cancelled (whole or one item) and their items retried
 * after failures that may pass. Whatever the interleaving: no item runs on two slots at once, each job's
 * {@code completed} count only rises, a job ends at most once, and once the slots are back every job ends with
 * every item final, none failed with attempts left (each item fails once at most, on whichever slot).
 */
class SlotStressTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String[] MODELS = {"m1", "m2", "m3", "m4"};
    private static final int ROUNDS = 150;
    private static final int ATTEMPTS = 3;

    private final CoreBatchQueue queue = new CoreBatchQueue();
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final Map<String, String> runningOn = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> lastCompleted = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> ends = new ConcurrentHashMap<>();
    private final Map<String, Boolean> failedOnce = new ConcurrentHashMap<>(); // on whichever slot
    private QueueExecutor executor;

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.close(5_000);
        }
    }

    /** A slot's runtime: a short call, one failure that may pass for every item whose id ends in 3. */
    private final class Runtime implements BatchItemHandler<Object> {
        private final String slot;

        Runtime(String slot) {
            this.slot = slot;
        }

        @Override
        public ItemResult process(Object data, ItemContext context) throws Exception {
            String key = context.jobId() + "/" + context.itemId();
            String other = runningOn.putIfAbsent(key, slot);
            if (other != null) {
                violations.add(key + " ran on " + slot + " while on " + other);
            }
            try {
                Thread.yield(); // lets other slots' calls interleave with this one
                if (context.itemId().endsWith("3") && failedOnce.putIfAbsent(key, true) == null) {
                    return ItemResult.retryableFailure("busy, try again");
                }
                return ItemResult.successWithOutput(slot);
            } finally {
                runningOn.remove(key, slot);
            }
        }
    }

    private HandlerRegistration registration(Runtime runtime, long serviceId) {
        return HandlerRegistration.of(runtime, Map.of(BatchItemHandler.RESOURCE, MODELS, BatchItemHandler.SLOT,
                runtime.slot, "service.id", serviceId));
    }

    @Test
    void invariantsHoldWhileSlotsComeAndGoAndJobsAreSteered() {
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void itemFinished(ItemProgress progress) {
                // strictly rising: an item cancelled while its job waits in the queue is counted without an event
                Integer before = lastCompleted.put(progress.jobId(), progress.completed());
                if (before != null && progress.completed() <= before) {
                    violations.add(progress.jobId() + " completed " + progress.completed() + " after " + before);
                }
            }

            @Override
            public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
                if (ends.computeIfAbsent(summary.jobId(), id -> new AtomicInteger()).incrementAndGet() > 1) {
                    violations.add(summary.jobId() + " ended twice");
                }
            }
        });
        executor = new QueueExecutor(queue.executor(), handlers,
                QueueSettings.executor(true, 2, 60_000, "slot-stress").withRetries(ATTEMPTS, 1, 5),
                new RecordingLogger().logger());
        List<Runtime> runtimes = List.of(new Runtime("a"), new Runtime("b"), new Runtime("c"));
        for (int i = 0; i < runtimes.size(); i++) {
            handlers.put(registration(runtimes.get(i), i + 1));
        }
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        long nextServiceId = 10;
        for (int round = 0; round < ROUNDS; round++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    int slot = random.nextInt(runtimes.size());
                    handlers.remove(serviceIdOf(runtimes.get(slot)));
                    handlers.put(registration(runtimes.get(slot), nextServiceId++)); // back, as a new service
                }
                case 1 -> {
                    if (!ids.isEmpty()) {
                        cancelQuietly(ids.get(random.nextInt(ids.size())), null);
                    }
                }
                case 2 -> {
                    if (!ids.isEmpty()) {
                        cancelQuietly(ids.get(random.nextInt(ids.size())), "i" + random.nextInt(12));
                    }
                }
                default -> ids.add(enqueue(MODELS[random.nextInt(MODELS.length)], 4 + random.nextInt(9)));
            }
            if (round % 10 == 0) {
                handlers.remove(serviceIdOf(runtimes.get(round / 10 % runtimes.size()))); // one slot away a while
            } else if (round % 10 == 5) {
                handlers.put(registration(runtimes.get((round - 5) / 10 % runtimes.size()), nextServiceId++));
            }
        }
        for (int i = 0; i < runtimes.size(); i++) {
            if (serviceIdOf(runtimes.get(i)) < 0) {
                handlers.put(registration(runtimes.get(i), nextServiceId++));
            }
        }

        Awaitility.await().atMost(DEADLINE).until(() -> ids.stream()
                .allMatch(id -> queue.getJob(id).map(job -> job.status().isFinished()).orElse(false)));
        for (String id : ids) {
            BatchJob<?> job = queue.getJob(id).orElseThrow();
            assertThat(job.items()).as(id).allMatch(item -> item.status().isFinal());
            // a call stopped because its slot went away counts as an attempt, so an item may use up its three
            // attempts on such stops and its one failure; it must never fail with attempts left
            assertThat(job.items()).as(id).noneMatch(item -> item.status() == BatchItemStatus.FAILED
                    && item.attempts() < ATTEMPTS);
        }
        assertThat(violations).isEmpty();
        assertThat(failedOnce).as("failures that may pass happened").isNotEmpty();
        assertThat(ids).as("jobs were cancelled and others completed").anyMatch(
                id -> queue.getJob(id).orElseThrow().status() == BatchJobStatus.CANCELLED).anyMatch(
                        id -> queue.getJob(id).orElseThrow().status() != BatchJobStatus.CANCELLED);
    }

    private long serviceIdOf(Runtime runtime) {
        return handlers.all().stream().filter(registration -> registration.handler() == (Object) runtime)
                .mapToLong(HandlerRegistration::serviceId).findFirst().orElse(-1);
    }

    private void cancelQuietly(String jobId, String itemId) {
        try {
            if (itemId == null) {
                queue.cancelJob(jobId);
            } else {
                queue.cancelItem(jobId, itemId);
            }
        } catch (RuntimeException alreadyFinishedOrUnknown) {
            // a finished job or item cannot be cancelled: the refusal is the contract's, not a failure here
        }
    }

    private String enqueue(String model, int count) {
        List<BatchItem<Object>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(BatchItem.of("i" + i, "data" + i, SizeBucket.SMALL));
        }
        return queue.enqueue(BatchJob.of(model, "tag", OverwritePolicy.OVERWRITE, items));
    }
}

package ai.batch.queue.impl.core;

import static ai.batch.queue.BatchItemStatus.COMPLETED;
import static ai.batch.queue.BatchItemStatus.FAILED;
import static ai.batch.queue.BatchItemStatus.RUNNING;
import static ai.batch.queue.BatchItemStatus.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.notify.QueueListener;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

/** QueueListener notifications: order, lock freedom, failure isolation and progress counts. */
class ListenerTest extends QueueTestSupport {

    @Test
    void planChangeIsToldAfterTheChangeThatCausedIt() {
        enqueue("j1", "a");
        enqueue("j2", "a");
        queue.markRunning("j1");

        assertThat(events.lines()).containsExactly(
                "queued j1", "plan j1",
                "queued j2", "plan j1,j2",
                "started j1", "plan j2");
    }

    @Test
    void listenerThrowingAnErrorIsContainedAndTheCallSucceeds() {
        AssertionError failure = new AssertionError("listener assertion");
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobQueued(BatchJob<?> job, QueuedCause cause) {
                throw failure;
            }
        });

        String id = queue.enqueue(job("m", "tag", "a"));

        assertThat(id).isNotBlank();
        assertThat(listenerFailures).containsExactly(failure);
        assertThat(events.linesWithoutPlans()).containsExactly("queued " + id);
    }

    @Test
    void notificationsArriveInTheOrderOfTheChanges() {
        enqueue("j", "a", "b");
        queue.markRunning("j");
        queue.updateItem("j", "a", RUNNING, null, null);
        queue.updateItem("j", "a", COMPLETED, null, 10L);
        queue.cancelItem("j", "b");
        queue.markCompleted("j");

        assertThat(events.linesWithoutPlans()).containsExactly(
                "queued j",
                "started j",
                "itemStarted j/a",
                "itemFinished j/a COMPLETED 1/2",
                "itemCancelled j/b",
                "itemFinished j/b CANCELLED 2/2",
                "ended j COMPLETED");
    }

    @Test
    void planChangesCarryThePlannedOrder() {
        queue.enqueue(job("llava:13b", "tag", "a").withId("l-tag"));
        queue.enqueue(job("moondream", "tag", "a").withId("m-tag"));
        queue.enqueue(job("llava:13b", "caption", "a").withId("l-caption"));

        List<List<BatchJob<?>>> plans = events.plans();
        assertThat(plans.get(plans.size() - 1)).extracting(BatchJob::id)
                .containsExactly("l-tag", "l-caption", "m-tag");
        assertThat(plans.get(plans.size() - 1).get(1).reordered()).isTrue();

        queue.markRunning("l-tag");
        List<List<BatchJob<?>>> after = events.plans();
        assertThat(after.get(after.size() - 1)).extracting(BatchJob::id).containsExactly("l-caption", "m-tag");
    }

    @Test
    void listenerIsNeverCalledWhileTheQueueIsLocked() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        try {
            queue.admin().listeners().add(new QueueListener() {
                private void probe(String what, String jobId) {
                    calls.incrementAndGet();
                    if (!problems.isEmpty()) {
                        return;
                    }
                    try {
                        // Another thread must be able to take the lock right now.
                        BatchJob<?> seen = other.submit(() -> queue.getJob(jobId).orElseThrow())
                                .get(3, TimeUnit.SECONDS);
                        if (what.equals("started") && seen.status() != BatchJobStatus.RUNNING) {
                            problems.add("started but job is " + seen.status());
                        }
                    } catch (Exception e) {
                        problems.add(what + ": " + e);
                    }
                }

                @Override
                public void jobQueued(BatchJob<?> job, QueuedCause cause) {
                    probe("queued", job.id());
                }

                @Override
                public void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
                    probe("started", job.id());
                }

                @Override
                public void itemFinished(ItemProgress progress) {
                    probe("itemFinished", progress.jobId());
                }

                @Override
                public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
                    probe("ended", summary.jobId());
                }

                @Override
                public void jobCancelled(BatchJob<?> job, boolean wasRunning) {
                    probe("cancelled", job.id());
                }

                @Override
                public void planChanged(List<BatchJob<?>> plan) {
                    plan.forEach(job -> probe("plan", job.id()));
                }
            });

            enqueue("j", "a", "b");
            queue.markRunning("j");
            queue.updateItem("j", "a", FAILED, "x", 5L);
            queue.cancelJob("j");
            queue.markCompleted("j");
            queue.retryFailed("j");
        } finally {
            other.shutdownNow();
        }

        assertThat(problems).isEmpty();
        assertThat(calls.get()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void listenerMayCallBackIntoTheQueueOnItsOwnThread() {
        queue.admin().listeners().add(new QueueListener() {
            @Override
            public void jobQueued(BatchJob<?> job, QueuedCause cause) {
                if (job.id().equals("first")) {
                    enqueue("second", "a");
                }
            }

            @Override
            public void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
                queue.updateItem(job.id(), "a", RUNNING, null, null);
            }
        });

        enqueue("first", "a");
        queue.markRunning("first");

        assertThat(queue.getJob("second")).isPresent();
        assertThat(itemStatus("first", "a")).isEqualTo(RUNNING);
        assertThat(events.linesWithoutPlans()).containsExactly(
                "queued first", "queued second", "started first", "itemStarted first/a");
    }

    @Test
    void throwingListenerDoesNotBreakTheQueueOrOtherListeners() {
        RuntimeException failure = new IllegalStateException("listener bug");
        CoreBatchQueue guarded = new CoreBatchQueue(clock, new ModelAwarePlanner(),
                (message, error) -> listenerFailures.add(error));
        RecordingListener recorder = new RecordingListener();
        guarded.admin().listeners().add(new QueueListener() {
            @Override
            public void jobQueued(BatchJob<?> job, QueuedCause cause) {
                throw failure;
            }

            @Override
            public void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
                throw failure;
            }

            @Override
            public void itemFinished(ItemProgress progress) {
                throw failure;
            }

            @Override
            public void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
                throw failure;
            }
        });
        guarded.admin().listeners().add(recorder);

        String id = guarded.enqueue(job("llava:13b", "tag", "a").withId("j"));
        guarded.markRunning(id);
        guarded.updateItem(id, "a", COMPLETED, null, 3L);
        BatchCompletionSummary summary = guarded.markCompleted(id);

        assertThat(summary.succeeded()).isEqualTo(1);
        assertThat(guarded.getJob(id).orElseThrow().status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(recorder.linesWithoutPlans()).containsExactly("queued j", "started j",
                "itemFinished j/a COMPLETED 1/1", "ended j COMPLETED");
        assertThat(listenerFailures).hasSize(4).containsOnly(failure);
    }

    @Test
    void removedListenerHearsNothingMore() {
        enqueue("j1", "a");
        queue.admin().listeners().remove(events);
        int heard = events.lines().size();

        enqueue("j2", "a");
        queue.markRunning("j1");

        assertThat(events.lines()).hasSize(heard);
    }

    @Test
    void progressStartsAtItemsAlreadyFinalAndRisesByOne() {
        enqueue("j", "ok", "bad1", "skip", "bad2");
        queue.markRunning("j");
        queue.updateItem("j", "ok", COMPLETED, null, 1L);
        queue.updateItem("j", "bad1", FAILED, "x", 1L);
        queue.updateItem("j", "skip", SKIPPED, null, null);
        queue.updateItem("j", "bad2", FAILED, "x", 1L);
        queue.markCompleted("j");
        queue.retryFailed("j");
        events.clear();

        queue.markRunning("j");
        queue.updateItem("j", "bad1", RUNNING, null, null);
        queue.updateItem("j", "bad1", COMPLETED, null, 2L);
        queue.updateItem("j", "bad2", FAILED, "again", 2L);

        assertThat(events.progress()).extracting(QueueListener.ItemProgress::completed).containsExactly(3, 4);
        assertThat(events.progress()).extracting(QueueListener.ItemProgress::total).containsOnly(4);
        assertThat(events.progress()).extracting(p -> p.item().id()).containsExactly("bad1", "bad2");
    }

    @Test
    void progressReachesTotalWithTheLastItem() {
        enqueue("j", "a", "b", "c");
        queue.markRunning("j");
        queue.updateItem("j", "a", COMPLETED, null, 1L);
        queue.updateItem("j", "b", SKIPPED, null, null);
        queue.updateItem("j", "c", FAILED, "x", 1L);

        assertThat(events.progress()).extracting(QueueListener.ItemProgress::completed).containsExactly(1, 2, 3);
        assertThat(events.progress()).extracting(p -> p.item().status()).containsExactly(COMPLETED, SKIPPED, FAILED);
        assertThat(events.progress().get(2).item().error()).isEqualTo("x");
    }

    @Test
    void progressCarriesTheRemainingEstimateWhenKnown() {
        enqueue("j", "a", "b", "c");
        queue.markRunning("j");
        queue.updateItem("j", "a", FAILED, "x", 1L);
        queue.updateItem("j", "b", COMPLETED, null, 400L);
        queue.updateItem("j", "c", COMPLETED, null, 600L);

        assertThat(events.progress()).extracting(QueueListener.ItemProgress::etaRemainingMs)
                .containsExactly(null, 400L, 0L);
    }

    @Test
    void noEstimatePerItemWhileNoListenerAsksForOne() {
        queue.admin().listeners().remove(events);
        RecordingListener quiet = new RecordingListener(false);
        queue.admin().listeners().add(quiet);
        enqueue("j", "a", "b");
        queue.markRunning("j");
        queue.updateItem("j", "a", COMPLETED, null, 400L);
        queue.admin().listeners().add(events); // asks for estimates
        queue.updateItem("j", "b", COMPLETED, null, 600L);

        assertThat(quiet.progress()).extracting(QueueListener.ItemProgress::etaRemainingMs)
                .containsExactly(null, 0L);
    }

    @Test
    void updatesWhileTheJobIsQueuedReportNoProgress() {
        enqueue("j", "a", "b");
        queue.updateItem("j", "a", SKIPPED, null, null);

        assertThat(events.progress()).isEmpty();

        queue.markRunning("j");
        queue.updateItem("j", "b", COMPLETED, null, 1L);
        assertThat(events.progress()).extracting(QueueListener.ItemProgress::completed).containsExactly(2);
    }

    @Test
    void cancellingARunningJobEndsItOnceWithoutPerItemProgress() {
        enqueue("j", "a", "b", "c");
        queue.markRunning("j");
        queue.updateItem("j", "a", COMPLETED, null, 10L);
        events.clear();

        queue.cancelJob("j");
        queue.markCompleted("j");
        queue.markCompleted("j");

        assertThat(events.progress()).isEmpty();
        assertThat(events.ended()).hasSize(1);
        RecordingListener.Ended ended = events.ended().get(0);
        assertThat(ended.status()).isEqualTo(BatchJobStatus.CANCELLED);
        assertThat(ended.summary().succeeded()).isEqualTo(1);
        assertThat(ended.summary().skipped()).isEqualTo(2);
        assertThat(events.linesWithoutPlans()).containsExactly("cancelled j running", "ended j CANCELLED");
    }

    @Test
    void completedJobEndsOnce() {
        enqueue("j", "a");
        queue.markRunning("j");
        queue.updateItem("j", "a", COMPLETED, null, 10L);

        queue.markCompleted("j");

        assertThat(events.ended()).hasSize(1);
        assertThat(events.ended().get(0).status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(events.ended().get(0).summary()).isEqualTo(BatchCompletionSummary.of(get("j")));
    }

    @Test
    void jobCancelledWhileQueuedNeverEnds() {
        enqueue("j", "a");

        queue.cancelJob("j");
        queue.markCompleted("j");

        assertThat(events.ended()).isEmpty();
        assertThat(events.linesWithoutPlans()).containsExactly("queued j", "cancelled j queued");
    }

    @Test
    void eachRunOfARetriedJobEndsOnce() {
        enqueue("j", "a");
        queue.markRunning("j");
        queue.updateItem("j", "a", FAILED, "x", 1L);
        queue.markCompleted("j");
        queue.retryFailed("j");
        queue.markRunning("j");
        queue.cancelJob("j");
        queue.markCompleted("j");

        assertThat(events.ended()).extracting(RecordingListener.Ended::status)
                .containsExactly(BatchJobStatus.COMPLETED_WITH_ERRORS, BatchJobStatus.CANCELLED);
        assertThat(events.linesWithoutPlans()).contains("retried j");
    }

    @Test
    void retriedJobThatIsCancelledBeforeItRunsAgainDoesNotEndTwice() {
        enqueue("j", "a");
        queue.markRunning("j");
        queue.updateItem("j", "a", FAILED, "x", 1L);
        queue.markCompleted("j");
        queue.retryFailed("j");

        queue.cancelJob("j");
        queue.markCompleted("j");

        assertThat(events.ended()).hasSize(1);
    }

    @Test
    void cancelledItemOfRunningJobIsReportedOnce() {
        enqueue("j", "a", "b");
        queue.markRunning("j");

        queue.cancelItem("j", "a");
        queue.cancelItem("j", "a");
        queue.updateItem("j", "a", COMPLETED, null, 1L);

        assertThat(events.progress()).hasSize(1);
        assertThat(events.progress().get(0).completed()).isEqualTo(1);
        assertThat(queue.etaSampleCount("llava:13b", "tag", SizeBucket.SMALL)).isZero();
    }
}

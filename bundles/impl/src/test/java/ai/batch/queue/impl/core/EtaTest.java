package ai.batch.queue.impl.core;

import static ai.batch.queue.BatchItemStatus.CANCELLED;
import static ai.batch.queue.BatchItemStatus.COMPLETED;
import static ai.batch.queue.BatchItemStatus.FAILED;
import static ai.batch.queue.BatchItemStatus.RUNNING;
import static ai.batch.queue.BatchItemStatus.SKIPPED;
import static ai.batch.queue.SizeBucket.LARGE;
import static ai.batch.queue.SizeBucket.MEDIUM;
import static ai.batch.queue.SizeBucket.SMALL;
import static ai.batch.queue.SizeBucket.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.estimate.DurationModel;

/** ETA samples and estimates, through the queue and on the tracker itself. */
class EtaTest extends QueueTestSupport {

    /** Enqueues a job whose items have the given buckets, ids i0, i1, … */
    private String jobWith(String id, String model, String operation, SizeBucket... buckets) {
        @SuppressWarnings("unchecked")
        BatchItem<String>[] items = new BatchItem[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            items[i] = item("i" + i, buckets[i]);
        }
        return queue.enqueue(jobOf(model, operation, items).withId(id));
    }

    /** Records one sample by running a one-item job to completion. */
    private void sample(String model, String operation, SizeBucket bucket, long ms) {
        String id = jobWith("sample-" + model + operation + bucket + ms + "-" + queue.listJobs().size(), model,
                operation, bucket);
        queue.updateItem(id, "i0", COMPLETED, null, ms);
    }

    @Test
    void noTimingDataGivesEmpty() {
        jobWith("j", "llava", "tag", SMALL, SMALL);

        assertThat(queue.estimateRemainingMs("j")).isEmpty();
    }

    @Test
    void oneSampleEstimatesEachRemainingItem() {
        jobWith("j", "llava", "tag", SMALL, SMALL, SMALL);
        queue.markRunning("j");
        queue.updateItem("j", "i0", COMPLETED, null, 1_000L);

        assertThat(queue.estimateRemainingMs("j")).hasValue(2_000L);
    }

    @Test
    void estimateUsesMeanOfSamples() {
        sample("llava", "tag", SMALL, 1_000L);
        sample("llava", "tag", SMALL, 3_000L);
        jobWith("j", "llava", "tag", SMALL, SMALL, SMALL);

        assertThat(queue.estimateRemainingMs("j")).hasValue(6_000L);
    }

    /**
     * The original library's eta_tracking example: the first item after markRunning is the first on its model
     * (a cold sample, no load time known), then one item of each other size. The original printed the 1,700 ms
     * at the end; before that it counted unmeasured sizes as 0 ms, where this queue uses the sizes measured.
     */
    @Test
    void originalEtaTrackingExampleGivesItsNumbers() {
        jobWith("j", "llava:13b", "tag", SMALL, MEDIUM, LARGE, SMALL, MEDIUM);
        queue.markRunning("j");
        assertThat(queue.estimateRemainingMs("j")).as("before any data").isEmpty();

        queue.updateItem("j", "i0", COMPLETED, null, 500L);
        assertThat(queue.estimateRemainingMs("j")).as("4 left, all from the one SMALL sample").hasValue(2_000L);

        queue.updateItem("j", "i1", COMPLETED, null, 1_200L);
        assertThat(queue.estimateRemainingMs("j")).as("LARGE from the warm MEDIUM, not the cold SMALL")
                .hasValue(1_200L + 500L + 1_200L);

        queue.updateItem("j", "i2", COMPLETED, null, 3_000L);
        assertThat(queue.estimateRemainingMs("j")).as("small + medium").hasValue(1_700L);
        assertThat(queue.etaSampleCount("llava:13b", "tag", SMALL)).isEqualTo(1);
        assertThat(queue.etaSampleCount("llava:13b", "tag", MEDIUM)).isEqualTo(1);
        assertThat(queue.etaSampleCount("llava:13b", "tag", LARGE)).isEqualTo(1);
    }

    @Test
    void aColdSampleIsItsBucketsEstimateWhileNoLoadTimeIsKnown() {
        jobWith("j", "llava", "tag", SMALL, MEDIUM, LARGE, MEDIUM, SMALL);
        queue.markRunning("j");
        queue.updateItem("j", "i0", COMPLETED, null, 500L); // cold: the first item on llava
        queue.updateItem("j", "i1", COMPLETED, null, 1_200L);
        queue.updateItem("j", "i2", COMPLETED, null, 3_000L);

        assertThat(queue.estimateRemainingMs("j")).hasValue(1_700L);
    }

    @Test
    void aMeasuredBucketIsNotEstimatedFromAnotherSize() {
        jobWith("s", "llava", "tag", SMALL);
        queue.markRunning("s");
        queue.updateItem("s", "i0", COMPLETED, null, 500L); // cold
        queue.markCompleted("s");
        jobWith("l", "llava", "tag", LARGE);
        queue.markRunning("l");
        queue.updateItem("l", "i0", COMPLETED, null, 2_000L);
        queue.markCompleted("l");

        jobWith("j", "llava", "tag", SMALL, SMALL, LARGE);
        assertThat(queue.estimateRemainingMs("j")).hasValue(3_000L);
        queue.markRunning("j");
        assertThat(queue.estimateRemainingMs("j")).as("same model: no load ahead").hasValue(3_000L);
    }

    @Test
    void aColdSampleWithNoLoadInItCountsInTheMean() {
        jobWith("j", "llava", "tag", SMALL, SMALL, SMALL, SMALL);
        queue.markRunning("j");
        queue.updateItem("j", "i0", COMPLETED, null, 1_000L); // cold, but shorter than the warm one
        queue.updateItem("j", "i1", COMPLETED, null, 2_000L);

        assertThat(queue.estimateRemainingMs("j")).as("two items at the mean, 1,500 ms").hasValue(3_000L);
    }

    /**
     * The first job on a model starts with a MEDIUM item (cold, load included), then a SMALL one. Another model
     * showed that MEDIUM items take three times as long as SMALL ones, so the cold MEDIUM item is explained as
     * 2,000 ms of load and 300 ms of work, and the MEDIUM items left are expected without the load.
     */
    @Test
    void aColdSampleIsExplainedByAnotherSizeScaledAsOnOtherModels() {
        sample("llava", "tag", SMALL, 100L);
        sample("llava", "tag", MEDIUM, 300L);
        jobWith("j", "moondream", "tag", MEDIUM, SMALL, MEDIUM, MEDIUM);
        queue.markRunning("j");
        queue.updateItem("j", "i0", COMPLETED, null, 2_300L); // cold: the first item on moondream
        queue.updateItem("j", "i1", COMPLETED, null, 100L);
        assertThat(queue.estimateRemainingMs("j")).hasValue(2 * 300L);
    }

    @Test
    void eachItemIsEstimatedFromItsOwnBucket() {
        sample("llava", "tag", SMALL, 100L);
        sample("llava", "tag", LARGE, 5_000L);
        jobWith("j", "llava", "tag", SMALL, LARGE, LARGE);

        assertThat(queue.estimateRemainingMs("j")).hasValue(10_100L);
    }

    @Test
    void bucketWithoutDataFallsBackToUnknownBucket() {
        sample("llava", "tag", UNKNOWN, 3_000L);
        jobWith("j", "llava", "tag", LARGE, MEDIUM);

        assertThat(queue.estimateRemainingMs("j")).hasValue(6_000L);
    }

    @Test
    void unknownBucketIsPreferredOverOtherBuckets() {
        sample("llava", "tag", SMALL, 1_000L);
        sample("llava", "tag", UNKNOWN, 3_000L);
        jobWith("j", "llava", "tag", LARGE);

        assertThat(queue.estimateRemainingMs("j")).hasValue(3_000L);
    }

    @Test
    void operationsAreIsolated() {
        sample("llava", "tag", SMALL, 1_000L);
        jobWith("j", "llava", "caption", SMALL);

        assertThat(queue.estimateRemainingMs("j")).isEmpty();
        assertThat(queue.etaSampleCount("llava", "caption", SMALL)).isZero();
    }

    @Test
    void resourceKeysAreIsolated() {
        sample("llava", "tag", SMALL, 1_000L);
        sample("llava", "tag", UNKNOWN, 1_000L);
        jobWith("j", "moondream", "tag", SMALL);

        assertThat(queue.estimateRemainingMs("j")).isEmpty();
        assertThat(queue.etaSampleCount("moondream", "tag", SMALL)).isZero();
    }

    @Test
    void nothingRemainingGivesZero() {
        jobWith("j", "llava", "tag", SMALL, SMALL, SMALL);
        queue.markRunning("j");
        queue.updateItem("j", "i0", COMPLETED, null, 10L);
        queue.updateItem("j", "i1", FAILED, "x", 10L);
        queue.updateItem("j", "i2", SKIPPED, null, null);

        assertThat(queue.estimateRemainingMs("j")).hasValue(0L);
    }

    @Test
    void nothingRemainingGivesZeroEvenWithoutAnyData() {
        jobWith("j", "never-seen", "tag", SMALL);
        queue.cancelJob("j");

        assertThat(queue.estimateRemainingMs("j")).hasValue(0L);
    }

    @Test
    void runningItemCountsAsRemaining() {
        sample("llava", "tag", SMALL, 500L);
        jobWith("j", "llava", "tag", SMALL, SMALL);
        queue.markRunning("j");
        queue.updateItem("j", "i0", RUNNING, null, null);
        queue.updateItem("j", "i1", CANCELLED, null, null);

        assertThat(queue.estimateRemainingMs("j")).hasValue(500L);
    }

    @Test
    void retriedItemsCountAsRemainingAgain() {
        sample("llava", "tag", SMALL, 700L);
        jobWith("j", "llava", "tag", SMALL, SMALL);
        queue.markRunning("j");
        queue.updateItem("j", "i0", FAILED, "x", 10L);
        queue.updateItem("j", "i1", FAILED, "x", 10L);
        queue.markCompleted("j");
        assertThat(queue.estimateRemainingMs("j")).hasValue(0L);

        queue.retryFailed("j");

        assertThat(queue.estimateRemainingMs("j")).hasValue(1_400L);
    }

    @Test
    void sampleCountIsPerExactKey() {
        jobWith("j", "llava", "tag", SMALL, SMALL, LARGE, UNKNOWN);
        queue.updateItem("j", "i0", COMPLETED, null, 1L);
        queue.updateItem("j", "i1", COMPLETED, null, 2L);
        queue.updateItem("j", "i2", COMPLETED, null, 3L);
        queue.updateItem("j", "i3", COMPLETED, null, 4L);

        assertThat(queue.etaSampleCount("llava", "tag", SMALL)).isEqualTo(2);
        assertThat(queue.etaSampleCount("llava", "tag", LARGE)).isEqualTo(1);
        assertThat(queue.etaSampleCount("llava", "tag", UNKNOWN)).isEqualTo(1);
        assertThat(queue.etaSampleCount("llava", "tag", MEDIUM)).isZero();
        assertThat(queue.etaSampleCount("llava", "caption", SMALL)).isZero();
        assertThat(queue.etaSampleCount("moondream", "tag", SMALL)).isZero();
    }

    @Test
    void completedWithoutDurationRecordsNothing() {
        jobWith("j", "llava", "tag", SMALL, SMALL);
        queue.updateItem("j", "i0", COMPLETED, null, null);

        assertThat(queue.etaSampleCount("llava", "tag", SMALL)).isZero();
        assertThat(queue.estimateRemainingMs("j")).isEmpty();
    }

    @Test
    void failedWithDurationRecordsNothing() {
        jobWith("j", "llava", "tag", SMALL, SMALL);
        queue.updateItem("j", "i0", FAILED, "x", 900L);

        assertThat(queue.etaSampleCount("llava", "tag", SMALL)).isZero();
        assertThat(queue.estimateRemainingMs("j")).isEmpty();
    }

    @Test
    void skippedAndCancelledWithDurationRecordNothing() {
        jobWith("j", "llava", "tag", SMALL, SMALL, SMALL);
        queue.updateItem("j", "i0", SKIPPED, null, 900L);
        queue.updateItem("j", "i1", CANCELLED, null, 900L);

        assertThat(queue.etaSampleCount("llava", "tag", SMALL)).isZero();
    }

    @Test
    void runningWithDurationRecordsNothing() {
        jobWith("j", "llava", "tag", SMALL);
        queue.updateItem("j", "i0", RUNNING, null, 900L);

        assertThat(queue.etaSampleCount("llava", "tag", SMALL)).isZero();
    }

    @Test
    void zeroDurationIsASample() {
        jobWith("j", "llava", "tag", SMALL, SMALL);
        queue.updateItem("j", "i0", COMPLETED, null, 0L);

        assertThat(queue.etaSampleCount("llava", "tag", SMALL)).isEqualTo(1);
        assertThat(queue.estimateRemainingMs("j")).hasValue(0L);
    }

    @Test
    void modelFallsBackFromExactToUnknownToAnyBucket() {
        DurationModel model = new DurationModel();
        assertThat(model.itemMs("m", "op", SMALL)).isNull();

        model.record("m", "op", LARGE, 4_000L, false);
        model.record("m", "op", MEDIUM, 2_000L, false);
        assertThat(model.itemMs("m", "op", SMALL).ms()).as("all buckets").isEqualTo(3_000.0);

        model.record("m", "op", UNKNOWN, 10_000L, false);
        assertThat(model.itemMs("m", "op", SMALL).ms()).as("UNKNOWN bucket").isEqualTo(10_000.0);

        model.record("m", "op", SMALL, 100L, false);
        model.record("m", "op", SMALL, 201L, false);
        assertThat(model.itemMs("m", "op", SMALL).ms()).as("exact bucket").isEqualTo(150.5);
        assertThat(model.itemMs("m", "other", SMALL)).isNull();
        assertThat(model.itemMs("x", "op", SMALL)).isNull();
    }

    @Test
    void modelCountsSamplesPerKey() {
        DurationModel model = new DurationModel();
        model.record("m", "op", SMALL, 1L, false);
        model.record("m", "op", SMALL, 1L, true);
        model.record("m", "op2", SMALL, 1L, false);

        assertThat(model.sampleCount("m", "op", SMALL)).isEqualTo(2);
        assertThat(model.sampleCount("m", "op2", SMALL)).isEqualTo(1);
        assertThat(model.sampleCount("m", "op", LARGE)).isZero();
        assertThat(model.sampleCount("n", "op", SMALL)).isZero();
    }
}

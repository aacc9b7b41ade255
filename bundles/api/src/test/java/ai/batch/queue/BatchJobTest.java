package ai.batch.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The value types' factories, copies and the completion summary's arithmetic. */
class BatchJobTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void itemOfIsPendingWithNothingElse() {
        BatchItem<String> item = BatchItem.of("img-1", "/a.jpg", SizeBucket.MEDIUM);

        assertThat(item.id()).isEqualTo("img-1");
        assertThat(item.data()).isEqualTo("/a.jpg");
        assertThat(item.status()).isEqualTo(BatchItemStatus.PENDING);
        assertThat(item.error()).isNull();
        assertThat(item.durationMs()).isNull();
        assertThat(item.output()).isNull();
        assertThat(item.sizeBucket()).isEqualTo(SizeBucket.MEDIUM);
    }

    @Test
    void itemWithStateKeepsIdentityAndChangesState() {
        BatchItem<String> item = BatchItem.of("img-1", "/a.jpg", SizeBucket.LARGE);

        BatchItem<String> done = item.withState(BatchItemStatus.COMPLETED, null, 42L, "out");

        assertThat(done.id()).isEqualTo("img-1");
        assertThat(done.data()).isEqualTo("/a.jpg");
        assertThat(done.sizeBucket()).isEqualTo(SizeBucket.LARGE);
        assertThat(done.status()).isEqualTo(BatchItemStatus.COMPLETED);
        assertThat(done.durationMs()).isEqualTo(42L);
        assertThat(done.output()).isEqualTo("out");
        assertThat(item.status()).as("original untouched").isEqualTo(BatchItemStatus.PENDING);
        assertThat(done).isNotEqualTo(item);
    }

    @Test
    void jobOfHasEmptyIdQueuedStatusAndNoTimestamps() {
        BatchJob<String> job = BatchJob.of("llava:13b", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL)));

        assertThat(job.id()).isNotNull().isEmpty();
        assertThat(job.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(job.resourceKey()).isEqualTo("llava:13b");
        assertThat(job.operation()).isEqualTo("tag");
        assertThat(job.overwritePolicy()).isEqualTo(OverwritePolicy.SKIP);
        assertThat(job.createdAt()).isNull();
        assertThat(job.startedAt()).isNull();
        assertThat(job.completedAt()).isNull();
        assertThat(job.reordered()).isFalse();
        assertThat(job.reorderNote()).isNull();
    }

    @Test
    void jobItemsAreUnmodifiable() {
        BatchJob<String> job = BatchJob.of("m", "op", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL)));

        assertThatThrownBy(() -> job.items().add(BatchItem.of("b", "y", SizeBucket.SMALL)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> job.items().remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> job.items().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void jobOfCopiesTheCallersList() {
        List<BatchItem<String>> items = new ArrayList<>(List.of(BatchItem.of("a", "x", SizeBucket.SMALL)));
        BatchJob<String> job = BatchJob.of("m", "op", OverwritePolicy.SKIP, items);

        items.add(BatchItem.of("b", "y", SizeBucket.SMALL));
        items.set(0, BatchItem.of("z", "z", SizeBucket.LARGE));

        assertThat(job.items()).extracting(BatchItem::id).containsExactly("a");
    }

    @Test
    void withIdKeepsEverythingElse() {
        BatchJob<String> job = BatchJob.restore("", "llava:13b", "caption", OverwritePolicy.OVERWRITE,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL), BatchItem.of("b", "y", SizeBucket.LARGE)),
                BatchJobStatus.QUEUED, T0, T0.plusSeconds(1), T0.plusSeconds(2), true, "note");

        BatchJob<String> named = job.withId("my-job");

        assertThat(named.id()).isEqualTo("my-job");
        assertThat(job.id()).as("original untouched").isEmpty();
        assertThat(named.resourceKey()).isEqualTo(job.resourceKey());
        assertThat(named.operation()).isEqualTo(job.operation());
        assertThat(named.overwritePolicy()).isEqualTo(job.overwritePolicy());
        assertThat(named.items()).isEqualTo(job.items());
        assertThat(named.status()).isEqualTo(job.status());
        assertThat(named.createdAt()).isEqualTo(job.createdAt());
        assertThat(named.startedAt()).isEqualTo(job.startedAt());
        assertThat(named.completedAt()).isEqualTo(job.completedAt());
        assertThat(named.reordered()).isEqualTo(job.reordered());
        assertThat(named.reorderNote()).isEqualTo(job.reorderNote());
        assertThat(named.withId("")).isEqualTo(job);
    }

    @Test
    void withNullIdIsRejected() {
        BatchJob<String> job = BatchJob.of("m", "op", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL)));

        assertThatThrownBy(() -> job.withId(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void jobsWithSameValuesAreEqual() {
        BatchJob<String> a = BatchJob.of("m", "op", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL)));
        BatchJob<String> b = BatchJob.of("m", "op", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL)));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(a.withId("other"));
        assertThat(a).isNotEqualTo(BatchJob.of("m", "op", OverwritePolicy.OVERWRITE, a.items()));
    }

    @Test
    void summaryCountsEachStatusAsContractSays() {
        BatchJob<String> job = job(
                item("c1", BatchItemStatus.COMPLETED, 100L),
                item("c2", BatchItemStatus.COMPLETED, 201L),
                item("f1", BatchItemStatus.FAILED, 50L),
                item("s1", BatchItemStatus.SKIPPED, null),
                item("x1", BatchItemStatus.CANCELLED, null),
                item("p1", BatchItemStatus.PENDING, null),
                item("r1", BatchItemStatus.RUNNING, null));

        BatchCompletionSummary summary = BatchCompletionSummary.of(job);

        assertThat(summary.jobId()).isEqualTo("job-7");
        assertThat(summary.operation()).isEqualTo("tag");
        assertThat(summary.resourceKey()).isEqualTo("llava:13b");
        assertThat(summary.total()).isEqualTo(7);
        assertThat(summary.succeeded()).isEqualTo(2);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.skipped()).as("SKIPPED + CANCELLED").isEqualTo(2);
        assertThat(summary.totalDurationMs()).isEqualTo(351L);
        assertThat(summary.avgDurationMs()).as("351 / 3 = 117").isEqualTo(117L);
    }

    @Test
    void summaryAverageIsFloored() {
        BatchCompletionSummary summary = BatchCompletionSummary.of(job(
                item("a", BatchItemStatus.COMPLETED, 10L),
                item("b", BatchItemStatus.COMPLETED, 10L),
                item("c", BatchItemStatus.FAILED, 9L)));

        assertThat(summary.totalDurationMs()).isEqualTo(29L);
        assertThat(summary.avgDurationMs()).as("29 / 3 = 9.67 floored").isEqualTo(9L);
    }

    @Test
    void summaryTotalIncludesDurationsOfSkippedAndCancelledItems() {
        BatchCompletionSummary summary = BatchCompletionSummary.of(job(
                item("a", BatchItemStatus.COMPLETED, 100L),
                item("s", BatchItemStatus.SKIPPED, 7L),
                item("x", BatchItemStatus.CANCELLED, 3L)));

        assertThat(summary.totalDurationMs()).isEqualTo(110L);
        assertThat(summary.avgDurationMs()).as("110 / (1 + 0)").isEqualTo(110L);
    }

    @Test
    void summaryAverageIsZeroWhenNothingSucceededOrFailed() {
        BatchCompletionSummary summary = BatchCompletionSummary.of(job(
                item("s", BatchItemStatus.SKIPPED, 40L),
                item("x", BatchItemStatus.CANCELLED, null)));

        assertThat(summary.succeeded()).isZero();
        assertThat(summary.failed()).isZero();
        assertThat(summary.skipped()).isEqualTo(2);
        assertThat(summary.totalDurationMs()).isEqualTo(40L);
        assertThat(summary.avgDurationMs()).isZero();
    }

    @Test
    void summaryIgnoresMissingDurations() {
        BatchCompletionSummary summary = BatchCompletionSummary.of(job(
                item("a", BatchItemStatus.COMPLETED, null),
                item("b", BatchItemStatus.FAILED, 30L)));

        assertThat(summary.totalDurationMs()).isEqualTo(30L);
        assertThat(summary.avgDurationMs()).isEqualTo(15L);
    }

    @Test
    void summaryHandlesDurationsBeyondIntRange() {
        long big = 3_000_000_000L;
        BatchCompletionSummary summary = BatchCompletionSummary.of(job(
                item("a", BatchItemStatus.COMPLETED, big),
                item("b", BatchItemStatus.COMPLETED, big)));

        assertThat(summary.totalDurationMs()).isEqualTo(2 * big);
        assertThat(summary.avgDurationMs()).isEqualTo(big);
    }

    @Test
    void summariesWithSameValuesAreEqual() {
        BatchJob<String> job = job(item("a", BatchItemStatus.COMPLETED, 5L));

        assertThat(BatchCompletionSummary.of(job)).isEqualTo(BatchCompletionSummary.of(job))
                .hasSameHashCodeAs(BatchCompletionSummary.of(job))
                .isNotEqualTo(BatchCompletionSummary.of(job.withId("other")));
    }

    @SafeVarargs
    private static BatchJob<String> job(BatchItem<String>... items) {
        return BatchJob.restore("job-7", "llava:13b", "tag", OverwritePolicy.SKIP, List.of(items),
                BatchJobStatus.COMPLETED, T0, T0, T0, false, null);
    }

    private static BatchItem<String> item(String id, BatchItemStatus status, Long durationMs) {
        return BatchItem.of(id, "data-" + id, SizeBucket.SMALL).withState(status, null, durationMs, null);
    }

    @org.junit.jupiter.api.Test
    void attemptsAppearInJsonOnlyForItemsTriedMoreThanOnce() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        BatchItem<String> once = BatchItem.of("a", "x", SizeBucket.SMALL).withAttempts(1);
        BatchItem<String> twice = once.withAttempts(2);
        org.assertj.core.api.Assertions.assertThat(mapper.writeValueAsString(once)).doesNotContain("attempts");
        org.assertj.core.api.Assertions.assertThat(mapper.writeValueAsString(twice)).endsWith(",\"attempts\":2}");
        BatchItem<String> read = mapper.readValue(mapper.writeValueAsString(twice),
                new com.fasterxml.jackson.core.type.TypeReference<BatchItem<String>>() {
                });
        org.assertj.core.api.Assertions.assertThat(read).isEqualTo(twice);
    }
}

package ai.batch.queue.impl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

class EnqueueTest extends QueueTestSupport {

    @Test
    void blankIdGetsANewUuid() {
        String id = queue.enqueue(job("llava:13b", "tag", "a"));

        assertThat(id).isNotBlank();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(get(id).id()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "   ", "\t"})
    void whitespaceIdCountsAsBlankAndGetsAUuid(String blank) {
        String id = queue.enqueue(job("llava:13b", "tag", "a").withId(blank));

        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    }

    @Test
    void generatedIdsAreDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ids.add(queue.enqueue(job("llava:13b", "tag", "a")));
        }

        assertThat(ids).hasSize(50);
        assertThat(queue.listJobs()).hasSize(50);
    }

    @Test
    void callerIdIsKept() {
        String id = queue.enqueue(job("llava:13b", "tag", "a").withId("my-job-42"));

        assertThat(id).isEqualTo("my-job-42");
        assertThat(queue.getJob("my-job-42")).isPresent();
    }

    @Test
    void enqueuedJobIsQueuedWithCreatedAtNowAndNoOtherTimestamps() {
        clock.advanceSeconds(30);

        String id = queue.enqueue(job("llava:13b", "tag", "a", "b"));

        BatchJob<?> job = get(id);
        assertThat(job.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(job.createdAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(job.startedAt()).isNull();
        assertThat(job.completedAt()).isNull();
        assertThat(job.reordered()).isFalse();
    }

    @Test
    void enqueuedJobKeepsItsFieldsAndItemsInOrder() {
        BatchJob<String> source = BatchJob.of("moondream", "caption", OverwritePolicy.OVERWRITE,
                List.of(item("z", SizeBucket.LARGE), item("a", SizeBucket.UNKNOWN), item("m", SizeBucket.MEDIUM)));

        String id = queue.enqueue(source);

        BatchJob<?> job = get(id);
        assertThat(job.resourceKey()).isEqualTo("moondream");
        assertThat(job.operation()).isEqualTo("caption");
        assertThat(job.overwritePolicy()).isEqualTo(OverwritePolicy.OVERWRITE);
        assertThat(List.<Object>copyOf(job.items())).isEqualTo(List.<Object>copyOf(source.items()));
        assertThat(job.items()).allMatch(item -> item.status() == BatchItemStatus.PENDING);
    }

    @Test
    void enqueueTakesStatusAndTimesFromTheQueueNotFromTheJob() {
        BatchJob<String> restored = BatchJob.restore("", "llava:13b", "tag", OverwritePolicy.SKIP,
                List.of(item("a", SizeBucket.SMALL)), BatchJobStatus.COMPLETED, T0.minusSeconds(99),
                T0.minusSeconds(98), T0.minusSeconds(97), true, "old note");

        String id = queue.enqueue(restored);

        BatchJob<?> job = get(id);
        assertThat(job.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(job.createdAt()).isEqualTo(T0);
        assertThat(job.startedAt()).isNull();
        assertThat(job.completedAt()).isNull();
        assertThat(job.reordered()).isFalse();
    }

    @Test
    void enqueueCountsTheJobAsQueued() {
        enqueue("j1", "a");
        enqueue("j2", "a");

        assertThat(queue.queuedCount()).isEqualTo(2);
        assertThat(queue.hasRunningJob()).isFalse();
        assertThat(queue.nextQueued()).map(BatchJob::id).contains("j1");
    }

    @Test
    void duplicateCallerIdIsRejectedAndQueueUnchanged() {
        enqueue("dup", "a");

        assertRejected(() -> queue.enqueue(job("moondream", "caption", "x").withId("dup")),
                IllegalArgumentException.class, "dup");
        assertThat(get("dup").resourceKey()).isEqualTo("llava:13b");
    }

    @Test
    void callerIdOfAFinishedJobStaysInUse() {
        enqueue("done", "a");
        runToEnd("done", BatchItemStatus.COMPLETED);

        assertRejected(() -> enqueue("done", "b"), IllegalArgumentException.class, "done");
    }

    @Test
    void callerMayReuseTheIdAfterARejectedEnqueue() {
        assertRejected(() -> queue.enqueue(job("llava:13b", "tag").withId("again")),
                IllegalArgumentException.class);

        assertThatCode(() -> enqueue("again", "a")).doesNotThrowAnyException();
        assertThat(queue.queuedCount()).isEqualTo(1);
    }

    @Test
    void nullJobIsRejected() {
        assertRejected(() -> queue.enqueue(null), NullPointerException.class);
    }

    @Test
    void nullResourceKeyIsRejected() {
        enqueue("existing", "a");
        Throwable thrown = assertRejected(() -> queue.enqueue(job(null, "tag", "a")), RuntimeException.class,
                "resourceKey");
        assertThat(thrown).isInstanceOfAny(NullPointerException.class, IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankResourceKeyIsRejected(String blank) {
        assertRejected(() -> queue.enqueue(job(blank, "tag", "a")), IllegalArgumentException.class,
                "resourceKey");
    }

    @Test
    void nullOperationIsRejected() {
        Throwable thrown = assertRejected(() -> queue.enqueue(job("llava:13b", null, "a")), RuntimeException.class,
                "operation");
        assertThat(thrown).isInstanceOfAny(NullPointerException.class, IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void blankOperationIsRejected(String blank) {
        assertRejected(() -> queue.enqueue(job("llava:13b", blank, "a")), IllegalArgumentException.class,
                "operation");
    }

    @Test
    void nullPolicyIsRejected() {
        assertRejected(() -> queue.enqueue(BatchJob.of("llava:13b", "tag", null, List.of(item("a", SizeBucket.SMALL)))),
                NullPointerException.class);
    }

    @Test
    void emptyItemListIsRejected() {
        assertRejected(() -> queue.enqueue(BatchJob.of("llava:13b", "tag", OverwritePolicy.SKIP, List.of())),
                IllegalArgumentException.class);
    }

    @Test
    void nullItemListIsRejected() {
        assertRejected(() -> queue.enqueue(BatchJob.<String>of("llava:13b", "tag", OverwritePolicy.SKIP, null)),
                IllegalArgumentException.class);
    }

    @Test
    void nullItemIsRejected() {
        List<BatchItem<String>> items = new ArrayList<>(Arrays.asList(item("a", SizeBucket.SMALL), null));
        Throwable thrown = assertRejected(
                () -> queue.enqueue(BatchJob.of("llava:13b", "tag", OverwritePolicy.SKIP, items)),
                RuntimeException.class, "1");
        assertThat(thrown).isInstanceOfAny(NullPointerException.class, IllegalArgumentException.class);
    }

    @Test
    void nullItemIdIsRejected() {
        Throwable thrown = assertRejected(() -> queue.enqueue(jobOf("llava:13b", "tag", item("a", SizeBucket.SMALL),
                BatchItem.of(null, "x", SizeBucket.SMALL))), RuntimeException.class);
        assertThat(thrown).isInstanceOfAny(NullPointerException.class, IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void blankItemIdIsRejected(String blank) {
        assertRejected(() -> queue.enqueue(jobOf("llava:13b", "tag", item(blank, SizeBucket.SMALL))),
                IllegalArgumentException.class);
    }

    @Test
    void duplicateItemIdIsRejectedNamingTheId() {
        assertRejected(() -> queue.enqueue(job("llava:13b", "tag", "img-1", "img-2", "img-1")),
                IllegalArgumentException.class, "img-1");
    }

    @Test
    void nullSizeBucketIsRejected() {
        assertRejected(() -> queue.enqueue(jobOf("llava:13b", "tag", BatchItem.of("a", "x", null))),
                NullPointerException.class, "a");
    }

    @Test
    void itemThatIsNotPendingIsRejected() {
        BatchItem<String> done = item("a", SizeBucket.SMALL).withState(BatchItemStatus.COMPLETED, null, 5L, null);

        assertRejected(() -> queue.enqueue(jobOf("llava:13b", "tag", done)), IllegalArgumentException.class, "a");
    }

    @Test
    void rejectedEnqueueLeavesExistingJobsAndPlanAlone() {
        enqueue("j1", "a");
        queue.enqueue(job("moondream", "tag", "a").withId("j2"));
        queue.markRunning("j1");

        assertRejected(() -> queue.enqueue(job("llava:13b", "tag", "x", "x")), IllegalArgumentException.class, "x");
        assertRejected(() -> queue.enqueue(job("moondream", "tag", "y").withId("j1")),
                IllegalArgumentException.class, "j1");
    }

    @Test
    void dataIsKeptAsGiven() {
        Object data = new Object();
        String id = queue.enqueue(BatchJob.of("llava:13b", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", data, SizeBucket.SMALL), BatchItem.of("b", null, SizeBucket.SMALL))));

        assertThat(get(id).items().get(0).data()).isSameAs(data);
        assertThat(get(id).items().get(1).data()).isNull();
    }
}

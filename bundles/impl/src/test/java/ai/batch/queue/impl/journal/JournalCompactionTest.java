package ai.batch.queue.impl.journal;

import static ai.batch.queue.impl.journal.StoreFixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;

/** Compaction rewrites the file only when that removes enough of it to be worth the rewrite. */
class JournalCompactionTest {

    @TempDir
    Path directory;

    private StoreFixture fixture;

    @AfterEach
    void close() {
        fixture.close();
        assertThat(fixture.writeFailures).isEmpty();
    }

    private CoreBatchQueue queueWithFinishedJobs(int count) throws IOException {
        fixture = new StoreFixture(directory);
        CoreBatchQueue queue = fixture.open();
        for (int i = 0; i < count; i++) {
            String id = "job-" + i;
            queue.enqueue(job(id, "llava", List.of(BatchItem.of("a", "a", SizeBucket.SMALL))));
            queue.markRunning(id);
            queue.updateItem(id, "a", BatchItemStatus.COMPLETED, null, 10L, "ok");
            queue.markCompleted(id);
        }
        return queue;
    }

    @Test
    void aJournalOfLiveJobsOnlyIsNotRewritten() throws IOException {
        CoreBatchQueue queue = queueWithFinishedJobs(50);
        byte[] before = Files.readAllBytes(fixture.journal());

        assertThat(fixture.store().compactIfLarger(queue.admin(), 100)).as("200 records, all of kept jobs").isFalse();

        assertThat(fixture.store().compactions()).isZero();
        assertThat(Files.readAllBytes(fixture.journal())).isEqualTo(before);
    }

    @Test
    void aJournalMostlyOfRemovedJobsIsRewritten() throws IOException {
        CoreBatchQueue queue = queueWithFinishedJobs(50);
        queue.enqueue(job("kept", "llava", List.of(BatchItem.of("k", "k", SizeBucket.SMALL))));
        queue.purgeFinished(Instant.MAX);

        assertThat(fixture.store().compactIfLarger(queue.admin(), 100)).isTrue();
        queue.pause(); // waits for the writer: the checkpoint before it is written
        assertThat(fixture.store().compactions()).isEqualTo(1);
    }

    @Test
    void aJournalAfterRecoveryKnowsWhatItsJobsTakeUp() throws IOException {
        CoreBatchQueue queue = queueWithFinishedJobs(50);
        fixture.restart();
        queue = fixture.open();

        assertThat(fixture.store().compactIfLarger(queue.admin(), 100)).isFalse();
        queue.purgeFinished(Instant.MAX);
        assertThat(fixture.store().compactIfLarger(queue.admin(), 100)).isTrue();
    }
}

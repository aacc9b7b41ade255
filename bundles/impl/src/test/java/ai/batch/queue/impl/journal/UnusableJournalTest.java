package ai.batch.queue.impl.journal;

import static ai.batch.queue.impl.journal.StoreFixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;

/**
 * One rule for a journal that cannot be used: the queue starts with whatever the journal lets it read, runs in
 * memory only, reports why, and leaves the files exactly as they were. Permissions do not stop root (who runs
 * these tests), so the file operations are made to fail as they would for another user.
 */
class UnusableJournalTest {

    @TempDir
    Path directory;

    private StoreFixture stores;
    private byte[] journalBefore;

    @BeforeEach
    void writeJournalWithARunningJob() throws IOException {
        stores = new StoreFixture(directory);
        CoreBatchQueue queue = stores.open();
        queue.enqueue(job("done", "llava", List.of(BatchItem.of("a", "a", SizeBucket.SMALL))));
        queue.markRunning("done");
        queue.updateItem("done", "a", BatchItemStatus.COMPLETED, null, 10L, "ok");
        queue.markCompleted("done");
        queue.enqueue(job("run", "llava", List.of(BatchItem.of("a", "a", SizeBucket.SMALL))));
        queue.markRunning("run");
        queue.updateItem("run", "a", BatchItemStatus.RUNNING, null, null);
        stores.restart();
        journalBefore = Files.readAllBytes(stores.journal());
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private static JournalFiles readOnlyDirectory() {
        return new JournalFiles() {
            @Override
            void checkWritable(Path directory) throws IOException {
                throw new AccessDeniedException(directory.toString());
            }

            @Override
            FileChannel openForAppend(Path file) throws IOException {
                throw new AccessDeniedException(file.toString());
            }
        };
    }

    private static JournalFiles readOnlyFile() {
        return new JournalFiles() {
            @Override
            FileChannel openForAppend(Path file) throws IOException {
                throw new AccessDeniedException(file.toString());
            }
        };
    }

    private static JournalFiles unreadableFile() {
        return new JournalFiles() {
            @Override
            byte[] read(Path file) throws IOException {
                throw new AccessDeniedException(file.toString());
            }
        };
    }

    /** The queue runs in memory: it takes changes, and the files stay as they were. */
    private void assertMemoryOnlyAndUntouched(CoreBatchQueue queue) throws IOException {
        assertThat(stores.report().failure()).isInstanceOf(AccessDeniedException.class);
        assertThat(stores.store().failed()).isTrue();
        queue.enqueue(job("later", "llava", List.of(BatchItem.of("l", "l", SizeBucket.SMALL))));
        assertThat(queue.getJob("later")).isPresent();
        assertThat(Files.readAllBytes(stores.journal())).isEqualTo(journalBefore);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(stores.journal());
        }
    }

    private static void assertRecoveredWithRunningJobRequeued(CoreBatchQueue queue) {
        assertThat(queue.listJobs()).extracting(BatchJob::id).containsExactly("done", "run");
        BatchJob<?> run = queue.getJob("run").orElseThrow();
        assertThat(run.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(run.items().get(0).status()).isEqualTo(BatchItemStatus.PENDING);
    }

    @Test
    void aReadOnlyFileIsReplayedAndItsRunningJobsGoBackToTheQueueInMemory() throws IOException {
        CoreBatchQueue queue = stores.open(readOnlyFile());

        assertRecoveredWithRunningJobRequeued(queue);
        assertThat(stores.report().requeued()).isEqualTo(1);
        assertMemoryOnlyAndUntouched(queue);
    }

    @Test
    void aReadOnlyDirectoryIsReplayedLikeAReadOnlyFile() throws IOException {
        CoreBatchQueue queue = stores.open(readOnlyDirectory());

        assertRecoveredWithRunningJobRequeued(queue);
        assertMemoryOnlyAndUntouched(queue);
    }

    @Test
    void anUnreadableFileStartsAnEmptyQueueInMemoryAndIsLeftAlone() throws IOException {
        CoreBatchQueue queue = stores.open(unreadableFile());

        assertThat(queue.listJobs()).isEmpty();
        assertMemoryOnlyAndUntouched(queue);
    }

    @Test
    void aDamagedJournalThatCannotBeRewrittenIsReplayedAndLeftAsItIs() throws IOException {
        Files.writeString(stores.journal(), "#garbage#\n", java.nio.file.StandardOpenOption.APPEND);
        journalBefore = Files.readAllBytes(stores.journal());

        CoreBatchQueue queue = stores.open(readOnlyDirectory());

        assertRecoveredWithRunningJobRequeued(queue);
        assertThat(stores.report().problems()).isNotEmpty();
        assertThat(stores.report().movedAside()).isNull();
        assertMemoryOnlyAndUntouched(queue);
    }

    @Test
    void aRewriteThatFailsLeavesTheDamagedJournalInPlaceAndNoHalfWrittenFile() throws IOException {
        Files.writeString(stores.journal(), "#garbage#\n", java.nio.file.StandardOpenOption.APPEND);
        journalBefore = Files.readAllBytes(stores.journal());
        JournalFiles diskFull = new JournalFiles() {
            @Override
            void force(Path file) throws IOException {
                throw new IOException("No space left on device");
            }
        };

        CoreBatchQueue queue = stores.open(diskFull);

        assertRecoveredWithRunningJobRequeued(queue);
        assertThat(stores.report().failure()).hasMessageContaining("No space");
        assertThat(Files.readAllBytes(stores.journal())).isEqualTo(journalBefore);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.endsWith(
                    ".recovering"));
        }
    }

    @Test
    void theNextStartWithAUsableJournalFindsTheJobsAsTheyWereOnDisk() throws IOException {
        stores.open(readOnlyFile());
        stores.restart();

        assertRecoveredWithRunningJobRequeued(stores.open());
        assertThat(stores.report().failure()).isNull();
    }
}

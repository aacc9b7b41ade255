package ai.batch.queue.impl.journal;

import static ai.batch.queue.impl.journal.StoreFixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;

/** A crash while a damaged journal is being rewritten never loses what was intact. */
class JournalRecoveryCrashTest {

    @TempDir
    Path directory;

    /** The process dies: nothing after the fault point runs, not even clean-up. */
    static final class Crash extends RuntimeException {
        Crash(JournalFiles.Step step) {
            super("crash before " + step);
        }
    }

    private static JournalFiles crashingBefore(JournalFiles.Step crashStep) {
        return new JournalFiles() {
            @Override
            void before(Step step) {
                if (step == crashStep) {
                    throw new Crash(step);
                }
            }
        };
    }

    /** Three intact jobs (finished, running, queued) and one line of garbage. */
    private void writeDamagedJournal(StoreFixture stores) throws IOException {
        CoreBatchQueue queue = stores.open();
        queue.enqueue(job("done", "llava", List.of(BatchItem.of("a", "a", SizeBucket.SMALL))));
        queue.markRunning("done");
        queue.updateItem("done", "a", BatchItemStatus.COMPLETED, null, 10L, "ok");
        queue.markCompleted("done");
        queue.enqueue(job("run", "llava", List.of(BatchItem.of("a", "a", SizeBucket.SMALL),
                BatchItem.of("b", "b", SizeBucket.SMALL))));
        queue.markRunning("run");
        queue.updateItem("run", "a", BatchItemStatus.COMPLETED, null, 10L, "ok");
        queue.enqueue(job("wait", "moondream", List.of(BatchItem.of("w", "w", SizeBucket.SMALL))));
        stores.restart();
        Files.writeString(stores.journal(), "#garbage#\n", java.nio.file.StandardOpenOption.APPEND);
    }

    private static void assertIntact(CoreBatchQueue queue) {
        assertThat(queue.listJobs()).extracting(BatchJob::id).containsExactly("done", "run", "wait");
        assertThat(queue.getJob("done").orElseThrow().status()).isEqualTo(BatchJobStatus.COMPLETED);
        BatchJob<?> run = queue.getJob("run").orElseThrow();
        assertThat(run.status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(run.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.COMPLETED,
                BatchItemStatus.PENDING);
    }

    private List<Path> keptAside() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("journal.log.damaged-")).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(JournalFiles.Step.class)
    void aCrashAtAnyStepOfTheRewriteLosesNothingIntact(JournalFiles.Step step) throws IOException {
        try (StoreFixture stores = new StoreFixture(directory)) {
            writeDamagedJournal(stores);
            assertThatThrownBy(() -> stores.open(crashingBefore(step))).isInstanceOf(Crash.class);

            CoreBatchQueue again = stores.open();

            assertIntact(again);
            assertThat(keptAside()).as("one copy of the damaged file, whole").singleElement()
                    .satisfies(file -> assertThat(Files.readString(file)).contains("#garbage#"));
            if (step.compareTo(JournalFiles.Step.REPLACE) <= 0) { // after the rename the new journal is in place
                assertThat(stores.report().problems()).as("the garbage is still reported").isNotEmpty();
                assertThat(stores.report().movedAside()).isEqualTo(keptAside().get(0));
            }
            try (Stream<Path> files = Files.list(directory)) {
                assertThat(files.map(file -> file.getFileName().toString())).as("no leftover of the crash")
                        .allMatch(name -> name.equals("journal.log") || name.startsWith("journal.log.damaged-"));
            }
            stores.restart();
            assertIntact(stores.open());
            assertThat(stores.report().problems()).as("the rewritten journal is clean").isEmpty();
        }
    }

    @Test
    void aStartAfterAnInterruptedRewriteOfAnEarlierVersionRecoversFromTheDamagedFile() throws IOException {
        try (StoreFixture stores = new StoreFixture(directory)) {
            writeDamagedJournal(stores);
            // what an earlier version left when killed: the damaged file moved aside, the new journal partial
            Path aside = directory.resolve("journal.log.damaged-1700000000000");
            Files.move(stores.journal(), aside);
            Files.writeString(stores.journal(), Files.readAllLines(aside).get(0) + "\n");

            CoreBatchQueue again = stores.open();

            assertIntact(again);
            Path kept = directory.resolve("journal.log.damaged-1700000000000.kept");
            assertThat(stores.report().movedAside()).as("renamed once recovered from").isEqualTo(kept);
            assertThat(Files.readString(kept)).contains("#garbage#");
            stores.restart();
            assertIntact(stores.open());
            assertThat(stores.report().problems()).isEmpty();
        }
    }

    @Test
    void aStartAfterAnInterruptedRewriteThatLeftNoJournalRecoversFromTheDamagedFile() throws IOException {
        try (StoreFixture stores = new StoreFixture(directory)) {
            writeDamagedJournal(stores);
            Files.move(stores.journal(), directory.resolve("journal.log.damaged-1700000000000"));

            assertIntact(stores.open());
        }
    }
}

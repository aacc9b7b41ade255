package ai.batch.queue.impl.journal;

import static ai.batch.queue.impl.journal.StoreFixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;

/** What recovery makes of a journal damaged in one place: it loses that place, never the rest. */
class JournalDamageTest {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+),");

    @TempDir
    Path directory;

    private StoreFixture stores;

    @AfterEach
    void close() {
        stores.close();
        assertThat(stores.writeFailures).isEmpty();
    }

    /** Four finished jobs, one of them with a failed item, and one queued: about 30 records. */
    private List<BatchJob<?>> writeJobs() throws IOException {
        stores = new StoreFixture(directory);
        CoreBatchQueue queue = stores.open();
        for (String id : List.of("a", "b", "errs", "c")) {
            queue.enqueue(job(id, "llava", List.of(BatchItem.of("x", "x.jpg", SizeBucket.SMALL),
                    BatchItem.of("y", "y.jpg", SizeBucket.SMALL))));
            queue.markRunning(id);
            for (String item : List.of("x", "y")) {
                queue.updateItem(id, item, BatchItemStatus.RUNNING, null, null);
                if (id.equals("errs") && item.equals("y")) {
                    queue.updateItem(id, item, BatchItemStatus.FAILED, "out of memory", 20L);
                } else {
                    queue.updateItem(id, item, BatchItemStatus.COMPLETED, null, 10L, "ok");
                }
            }
            queue.markCompleted(id);
        }
        queue.enqueue(job("d", "moondream", List.of(BatchItem.of("z", "z.jpg", SizeBucket.SMALL))));
        List<BatchJob<?>> jobs = queue.listJobs();
        assertThat(jobs.get(2).status()).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        stores.restart();
        return jobs;
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(stores.journal());
    }

    private void setSeq(int line, long seq) throws IOException {
        List<String> lines = lines();
        Matcher matcher = SEQ.matcher(lines.get(line));
        assertThat(matcher.find()).isTrue();
        lines.set(line, matcher.replaceFirst("\"seq\":" + seq + ","));
        Files.write(stores.journal(), lines);
    }

    private int lineOf(String text) throws IOException {
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + text);
    }

    @Test
    void aSequenceNumberTooLargeCostsNoRecord() throws IOException {
        List<BatchJob<?>> before = writeJobs();
        setSeq(3, 63); // one digit flipped: 4 became 63, larger than every later record's

        CoreBatchQueue again = stores.open();

        assertThat(again.listJobs()).isEqualTo(before);
        assertThat(stores.report().problems()).singleElement().asString().startsWith("line 4:");
        assertThat(stores.report().lost()).as("the record is kept").isZero();
        assertThat(stores.report().movedAside()).exists();
    }

    @Test
    void aSequenceNumberOfLongMaxCostsNoRecord() throws IOException {
        List<BatchJob<?>> before = writeJobs();
        setSeq(10, Long.MAX_VALUE);

        CoreBatchQueue again = stores.open();

        assertThat(again.listJobs()).isEqualTo(before);
        assertThat(stores.report().problems()).singleElement().asString().startsWith("line 11:");
        stores.restart();
        assertThat(stores.open().listJobs()).as("the rewritten journal").isEqualTo(before);
        assertThat(stores.report().problems()).isEmpty();
    }

    @Test
    void aLostCompletionNeverPutsAFinishedJobBackInTheQueue() throws IOException {
        writeJobs();
        List<String> lines = lines();
        lines.remove(lineOf("\"op\":\"completed\",\"jobId\":\"errs\""));
        Files.write(stores.journal(), lines);

        CoreBatchQueue again = stores.open();

        BatchJob<?> errs = again.getJob("errs").orElseThrow();
        assertThat(errs.status()).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(errs.items()).extracting(BatchItem::status).containsExactly(BatchItemStatus.COMPLETED,
                BatchItemStatus.FAILED);
        assertThat(stores.report().problems()).singleElement().asString().contains("missing");
        assertThat(stores.report().requeued()).isZero();
    }

    @Test
    void aDeletedItemResultIsReportedAndTheItemFailsSoThatItCanBeRetried() throws IOException {
        writeJobs();
        List<String> lines = lines();
        lines.remove(lineOf("\"op\":\"item\",\"jobId\":\"b\",\"itemId\":\"y\",\"status\":\"completed\""));
        Files.write(stores.journal(), lines);

        CoreBatchQueue again = stores.open();

        BatchJob<?> b = again.getJob("b").orElseThrow();
        assertThat(b.status()).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(b.items().get(1).status()).isEqualTo(BatchItemStatus.FAILED);
        assertThat(b.items().get(1).error()).contains("lost");
        assertThat(stores.report().problems()).singleElement().asString().contains("missing");
        assertThat(stores.report().lost()).isEqualTo(1);
        assertThat(stores.report().movedAside()).exists();
        stores.restart();
        assertThat(stores.open().getJob("b").orElseThrow()).isEqualTo(b);
        assertThat(stores.report().problems()).as("reported once, then the journal is clean").isEmpty();
    }

    @Test
    void aDeletedItemResultBeforeTheCheckpointOfACompactedJournalStillFailsTheItem() throws IOException {
        stores = new StoreFixture(directory);
        CoreBatchQueue queue = stores.open();
        queue.enqueue(job("kept", "llava", List.of(BatchItem.of("x", "x.jpg", SizeBucket.SMALL))));
        queue.markRunning("kept");
        queue.updateItem("kept", "x", BatchItemStatus.RUNNING, null, null);
        queue.updateItem("kept", "x", BatchItemStatus.COMPLETED, null, 10L, "ok");
        queue.markCompleted("kept");
        for (int i = 0; i < 20; i++) {
            queue.enqueue(job("old-" + i, "llava", List.of(BatchItem.of("a", "a", SizeBucket.SMALL))));
            queue.cancelJob("old-" + i);
            queue.purge("old-" + i);
        }
        assertThat(stores.store().compactIfLarger(queue.admin(), 10)).isTrue();
        queue.pause();
        assertThat(stores.store().compactions()).isEqualTo(1);
        stores.restart();
        List<String> lines = lines();
        lines.remove(lineOf("\"op\":\"item\",\"jobId\":\"kept\",\"itemId\":\"x\",\"status\":\"completed\""));
        Files.write(stores.journal(), lines);

        CoreBatchQueue again = stores.open();

        BatchJob<?> kept = again.getJob("kept").orElseThrow();
        assertThat(kept.status()).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(kept.items().get(0).status()).isEqualTo(BatchItemStatus.FAILED);
        assertThat(stores.report().problems()).singleElement().asString().contains("kept");
        assertThat(stores.report().lost()).isEqualTo(1);
    }

    @Test
    void aFileOfZerosIsKeptAsideAndReported() throws IOException {
        stores = new StoreFixture(directory);
        byte[] zeros = new byte[4096];
        Files.write(stores.journal(), zeros);

        CoreBatchQueue queue = stores.open();

        assertThat(queue.listJobs()).isEmpty();
        assertThat(stores.report().problems()).isNotEmpty();
        assertThat(stores.report().lost()).isEqualTo(1);
        assertThat(stores.report().movedAside()).exists();
        assertThat(Files.readAllBytes(stores.report().movedAside())).isEqualTo(zeros);
    }

    @Test
    void randomBytesWithoutANewlineAreKeptAsideAndReported() throws IOException {
        stores = new StoreFixture(directory);
        byte[] noise = new byte[2000];
        new Random(7).nextBytes(noise);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = noise[i] == '\n' ? 0x20 : noise[i];
        }
        Files.write(stores.journal(), noise);

        stores.open();

        assertThat(stores.report().problems()).isNotEmpty();
        assertThat(Files.readAllBytes(stores.report().movedAside())).isEqualTo(noise);
    }

    @Test
    void noiseAfterTheLastLineIsDamageNotACutLine() throws IOException {
        List<BatchJob<?>> before = writeJobs();
        byte[] intact = Files.readAllBytes(stores.journal());
        Files.write(stores.journal(), new byte[] {0, 0, 0, 0, 0, 0, 0, 0}, StandardOpenOption.APPEND);

        CoreBatchQueue again = stores.open();

        assertThat(again.listJobs()).isEqualTo(before);
        assertThat(stores.report().problems()).singleElement().asString().contains("8 bytes");
        byte[] kept = Files.readAllBytes(stores.report().movedAside());
        assertThat(Arrays.copyOf(kept, intact.length)).isEqualTo(intact);
        assertThat(kept).hasSize(intact.length + 8);
    }

    @Test
    void aCutLastLineIsStillDroppedQuietly() throws IOException {
        List<BatchJob<?>> before = writeJobs();
        long next = lines().size() + 1;
        Files.writeString(stores.journal(), "{\"v\":1,\"seq\":" + next + ",\"at\":\"2026-", StandardOpenOption.APPEND);

        CoreBatchQueue again = stores.open();

        assertThat(again.listJobs()).isEqualTo(before);
        assertThat(stores.report().problems()).isEmpty();
        assertThat(stores.report().movedAside()).isNull();
    }
}

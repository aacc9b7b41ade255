package ai.batch.queue.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * The throughput report of the real embedding model: items per second on this machine when the queue hands the
 * handler 1, 8 or 32 items per call. Written to {@code target/embeddings-throughput.md}; the numbers are reported,
 * never asserted (only that every item succeeded).
 */
class ThroughputReportTest {

    private static final int ITEMS = 128;
    private static final int ROUNDS = 2;

    @TempDir
    static Path nativeCache;

    @Test
    void itemsPerSecondAtBatchSizesOneEightAndThirtyTwo() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            texts.add("Sentence number " + i + " describes a photo of a " + (i % 2 == 0 ? "cat on a mat" : "city")
                    + " taken in the " + (i % 3 == 0 ? "morning" : "evening") + ".");
        }
        EmbeddingHandler handler = new EmbeddingHandler(nativeCache);
        StringBuilder report = new StringBuilder("| items per call | items/s (best of " + ROUNDS + " rounds of "
                + ITEMS + " items) | vs 1 per call |\n|---:|---:|---:|\n");
        try {
            run(handler, texts, 32); // warm-up: loads the model, lets the JIT settle
            double single = 0;
            for (int batch : new int[] {1, 8, 32}) {
                double best = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    best = Math.max(best, run(handler, texts, batch));
                }
                single = batch == 1 ? best : single;
                report.append(String.format("| %d | %.0f | %.2f× |%n", batch, best, best / single));
            }
        } finally {
            handler.deactivate();
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/embeddings-throughput.md"), report.toString());
        System.out.println(report);
    }

    /** @return items per second for one pass over the texts, {@code batch} items per call */
    private static double run(EmbeddingHandler handler, List<String> texts, int batch) throws Exception {
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += batch) {
            List<String> data = texts.subList(from, Math.min(texts.size(), from + batch));
            List<ItemContext> contexts = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                contexts.add(TestContext.of("item-" + (from + i)));
            }
            List<ItemResult> results = batch == 1 ? List.of(handler.process(data.get(0), contexts.get(0)))
                    : handler.processBatch(data, contexts);
            assertThat(results).allMatch(ItemResult::isSuccess);
        }
        return texts.size() / (double) (System.nanoTime() - start) * TimeUnit.SECONDS.toNanos(1);
    }
}

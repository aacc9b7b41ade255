package ai.batch.queue.impl.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.CoreBatchQueue;

class BatchCommandsTest {

    private final CoreBatchQueue queue = new CoreBatchQueue();
    private final BatchCommands commands = new BatchCommands(queue);

    private String enqueue(String id, String model, String... items) {
        List<BatchItem<String>> batch = new java.util.ArrayList<>();
        for (String item : items) {
            batch.add(BatchItem.of(item, item, SizeBucket.SMALL));
        }
        return queue.enqueue(BatchJob.of(model, "tag", OverwritePolicy.SKIP, batch).withId(id));
    }

    @Test
    void jobsListsEveryJobWithProgressAndEta() {
        assertThat(commands.jobs()).isEqualTo("No jobs.");
        enqueue("job-a", "llava:13b", "a", "b");
        queue.markRunning("job-a");
        queue.updateItem("job-a", "a", BatchItemStatus.COMPLETED, null, 1_500L);
        assertThat(commands.jobs()).isEqualTo(String.join("\n",
                "ID     MODEL      OPERATION  STATUS   DONE  ETA",
                "job-a  llava:13b  tag        running  1/2   2 s"));
    }

    @Test
    void jobShowsItemsWithResultsAndErrors() {
        enqueue("job-a", "m", "a", "b");
        queue.markRunning("job-a");
        queue.updateItem("job-a", "a", BatchItemStatus.COMPLETED, null, 12L, "cat, sunset");
        queue.updateItem("job-a", "b", BatchItemStatus.FAILED, "out of memory", 3L);
        assertThat(commands.job("job-a")).isEqualTo(String.join("\n",
                "Job job-a: m tag, running, policy skip",
                "ITEM  STATUS     SIZE   MS  RESULT",
                "a     completed  small  12  cat, sunset",
                "b     failed     small  3   error: out of memory"));
    }

    @Test
    void controlAndBidirectionalCharactersAreShownAsCodePoints() {
        // U+202E would make the terminal show "gpj.exe-evil" as "live-exe.jpg"
        enqueue("job-\u202ea", "gpj.exe\u202e-evil", "x\u202egpj.exe", "b\u0007");
        queue.markRunning("job-\u202ea");
        queue.updateItem("job-\u202ea", "b\u0007", BatchItemStatus.FAILED, "bad\nline\u2066\u200f\u0085", 3L);
        String jobs = commands.jobs();
        assertThat(jobs).contains("job-\\u202Ea", "gpj.exe\\u202E-evil").doesNotContain("\u202e");
        String job = commands.job("job-\u202ea");
        assertThat(job).contains("Job job-\\u202Ea: gpj.exe\\u202E-evil tag", "x\\u202Egpj.exe", "b\\u0007",
                "error: bad\\u000Aline\\u2066\\u200F\\u0085");
        assertThat(job.chars().filter(c -> c < 0x20 && c != '\n' || c == 0x85 || c >= 0x2000 && c <= 0x206f))
                .isEmpty();
        assertThat(job.lines()).hasSize(4);
        assertThat(commands.cancel("job-\u202ea", "x\u202egpj.exe")).doesNotContain("\u202e")
                .contains("x\\u202Egpj.exe");
        enqueue("ok", "llava:13b", "Grüße", "日本");
        assertThat(commands.job("ok")).contains("Grüße", "日本");
    }

    @Test
    void enqueueCreatesAJobOfTheGivenItems() {
        String message = commands.enqueue("moondream", "caption", "x.jpg", "y.jpg");
        assertThat(message).startsWith("Enqueued job ").endsWith(" (2 items)");
        BatchJob<?> job = queue.listJobs().get(0);
        assertThat(job.resourceKey()).isEqualTo("moondream");
        assertThat(job.items()).extracting(BatchItem::id).containsExactly("x.jpg", "y.jpg");
        assertThatThrownBy(() -> commands.enqueue("m", "op")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Usage: batch:enqueue");
    }

    @Test
    void cancelRetryAndEtaAcceptUniquePrefixes() {
        enqueue("abc-123", "m", "a", "b");
        assertThat(commands.cancel("abc", "a")).isEqualTo("Cancelled item a of job abc-123");
        queue.markRunning("abc-123");
        queue.updateItem("abc-123", "b", BatchItemStatus.FAILED, "boom", 5L);
        queue.markCompleted("abc-123");
        assertThat(commands.retry("abc-1")).isEqualTo("Re-queued 1 failed item of job abc-123");
        assertThat(queue.getJob("abc-123").orElseThrow().status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(commands.eta("abc")).isEqualTo("Job abc-123: 1 item(s) left, no timing data yet for m tag");
        assertThat(commands.cancel("abc-123")).isEqualTo("Cancelled job abc-123");
    }

    @Test
    void unknownAndAmbiguousIdsAreClearErrors() {
        enqueue("job-1", "m", "a");
        enqueue("job-2", "m", "a");
        assertThatThrownBy(() -> commands.job("nope")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("No job with id 'nope' (see batch:jobs)");
        assertThatThrownBy(() -> commands.cancel("job")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'job' matches 2 jobs; give more of the id");
        assertThatThrownBy(() -> commands.cancel("job-1", "zzz")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("zzz");
        assertThatThrownBy(() -> commands.eta(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pauseResumeFrontAndPriorityDriveTheQueue() {
        enqueue("job-a", "m", "a");
        enqueue("job-b", "n", "b");
        assertThat(commands.pause()).startsWith("Queue paused");
        assertThat(queue.isPaused()).isTrue();
        assertThat(commands.resume()).isEqualTo("Queue resumed");
        assertThat(commands.front("job-b")).isEqualTo("Job job-b runs next");
        assertThat(queue.nextQueued()).get().extracting(BatchJob::id).isEqualTo("job-b");
        assertThat(commands.priority("job-a", "HIGH")).isEqualTo("Job job-a has priority high");
        assertThat(queue.getJob("job-a").orElseThrow().priority()).isEqualTo(ai.batch.queue.JobPriority.HIGH);
        assertThatThrownBy(() -> commands.priority("job-a", "asap")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Priority must be low, normal or high, not 'asap'");
    }

    @Test
    void purgeRemovesFinishedJobsOnly() {
        enqueue("done-1", "m", "a");
        enqueue("done-2", "m", "a");
        enqueue("waiting", "m", "a");
        queue.cancelJob("done-1");
        queue.cancelJob("done-2");
        assertThat(commands.purge("done-1")).isEqualTo("Removed job done-1");
        assertThatThrownBy(() -> commands.purge("waiting")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("waiting");
        assertThat(commands.purge("--finished")).isEqualTo("Removed 1 finished job");
        assertThat(queue.listJobs()).extracting(BatchJob::id).containsExactly("waiting");
    }

    @Test
    void etaFormatsMillisecondsSecondsAndMinutes() {
        assertThat(BatchCommands.eta(OptionalLong.empty())).isEqualTo("-");
        assertThat(BatchCommands.eta(OptionalLong.of(250))).isEqualTo("250 ms");
        assertThat(BatchCommands.eta(OptionalLong.of(12_400))).isEqualTo("12 s");
        assertThat(BatchCommands.eta(OptionalLong.of(125_000))).isEqualTo("2 min 5 s");
    }
}

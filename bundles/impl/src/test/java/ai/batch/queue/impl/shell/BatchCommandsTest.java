package ai.batch.queue.impl.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.handler.BatchItemHandler;

class BatchCommandsTest {

    private final ShellFixture fixture = new ShellFixture();
    private final BatchCommands commands = new BatchCommands(fixture.queue);

    @Test
    void jobsListsEveryJobWithShortIdsProgressAndEtaInOneUnit() {
        assertThat(commands.jobs()).isEqualTo("No jobs.");
        fixture.enqueue("3f2a9c1e-5b7d-4e0f-9a1b-000000000001", "llava:13b", "a", "b", "c");
        fixture.enqueue("77aa0000-1111-2222-3333-444444444444", "moondream", "x");
        fixture.queue.markRunning("3f2a9c1e-5b7d-4e0f-9a1b-000000000001");
        fixture.queue.updateItem("3f2a9c1e-5b7d-4e0f-9a1b-000000000001", "a", BatchItemStatus.COMPLETED, null, 414L);
        fixture.queue.updateItem("3f2a9c1e-5b7d-4e0f-9a1b-000000000001", "b", BatchItemStatus.COMPLETED, null,
                6_000L);
        assertThat(commands.jobs()).isEqualTo(String.join("\n",
                "ID        MODEL      OPERATION  STATUS   DONE  ETA",
                "3f2a9c1e  llava:13b  tag        running  2/3   0:00:04",
                "77aa0000  moondream  tag        queued   0/1   -"));
    }

    @Test
    void jobsMarksAPausedQueue() {
        fixture.enqueue("job-a", "m", "a");
        fixture.queue.pause();
        assertThat(commands.jobs()).startsWith("Queue paused: nothing starts until batch:resume.\nID ");
        fixture.queue.resume();
        assertThat(commands.jobs()).startsWith("ID ");
    }

    @Test
    void jobShowsItemsWithResultsErrorsAndSecondsWithOneDecimal() {
        fixture.enqueue("job-a", "m", "a", "b");
        fixture.queue.markRunning("job-a");
        fixture.queue.updateItem("job-a", "a", BatchItemStatus.COMPLETED, null, 414L, "cat, sunset");
        fixture.queue.updateItem("job-a", "b", BatchItemStatus.FAILED, "out of memory", 6_000L);
        assertThat(commands.job("job-a")).isEqualTo(String.join("\n",
                "Job job-a: m tag, running, policy skip",
                "ITEM  STATUS     SIZE   SECONDS  RESULT",
                "a     completed  small  0.4      cat, sunset",
                "b     failed     small  6.0      error: out of memory"));
    }

    @Test
    void jobShowsTheFirstTwentyItemsUnlessAskedForAll() {
        String[] items = new String[25];
        for (int i = 0; i < items.length; i++) {
            items[i] = "item-" + i;
        }
        fixture.enqueue("big-job", "m", items);
        String shown = commands.job("big-job");
        assertThat(shown.lines()).hasSize(1 + 1 + 20 + 1);
        assertThat(shown).contains("item-19").doesNotContain("item-20")
                .endsWith("… 5 more items not shown (batch:job --all big-job shows all)");
        String all = commands.job(true, false, "big-job");
        assertThat(all.lines()).hasSize(1 + 1 + 25);
        assertThat(all).contains("item-24").doesNotContain("not shown");
    }

    @Test
    void jobWithoutAnIdPrintsTheUsage() {
        assertThat(commands.job()).startsWith("Usage: batch:job [-a | --all] [-f | --follow] <job id or prefix>");
        assertThat(commands.watch()).startsWith("Usage: batch:watch <job id or prefix>");
        assertThat(commands.eta()).startsWith("Usage: batch:eta");
        assertThat(commands.enqueue()).startsWith("Usage: batch:enqueue");
    }

    @Test
    void controlAndBidirectionalCharactersAreShownAsCodePoints() {
        // U+202E would make the terminal show "gpj.exe-evil" as "live-exe.jpg"
        fixture.enqueue("job-\u202ea", "gpj.exe\u202e-evil", "x\u202egpj.exe", "b\u0007");
        fixture.queue.markRunning("job-\u202ea");
        fixture.queue.updateItem("job-\u202ea", "b\u0007", BatchItemStatus.FAILED, "bad\nline\u2066\u200f\u0085", 3L);
        String jobs = commands.jobs();
        assertThat(jobs).contains("job-\\u202Ea", "gpj.exe\\u202E-evil").doesNotContain("\u202e");
        String job = commands.job("job-\u202ea");
        assertThat(job).contains("Job job-\\u202Ea: gpj.exe\\u202E-evil tag", "x\\u202Egpj.exe", "b\\u0007",
                "error: bad\\u000Aline\\u2066\\u200F\\u0085");
        assertThat(job.chars().filter(c -> c < 0x20 && c != '\n' || c == 0x85 || c >= 0x2000 && c <= 0x206f))
                .isEmpty();
        assertThat(job.lines()).hasSize(4);
        assertThat(commands.eta("job-\u202ea")).doesNotContain("\u202e").contains("job-\\u202Ea");
        assertThatThrownBy(() -> commands.job("nope\u202e")).hasMessageContaining("nope\\u202E")
                .hasMessageNotContaining("\u202e");
        assertThat(commands.enqueue("evil\u202emodel", "tag", "a")).contains("evil\\u202Emodel")
                .doesNotContain("\u202e");
        fixture.enqueue("ok", "llava:13b", "Grüße", "日本");
        assertThat(commands.job("ok")).contains("Grüße", "日本");
    }

    @Test
    void enqueueCreatesAJobOfTheGivenItems() {
        commands.addHandler(ShellFixture.reference(Map.of("service.id", 1L, BatchItemHandler.RESOURCE, "moondream")));
        String message = commands.enqueue("moondream", "caption", "x.jpg", "y.jpg");
        assertThat(message).startsWith("Enqueued job ").endsWith(" (2 items)");
        BatchJob<?> job = fixture.queue.listJobs().get(0);
        assertThat(message).isEqualTo("Enqueued job " + job.id() + " (2 items)");
        assertThat(job.resourceKey()).isEqualTo("moondream");
        assertThat(job.items()).extracting(BatchItem::id).containsExactly("x.jpg", "y.jpg");
    }

    @Test
    void enqueueWarnsWhenNoHandlerServesTheModel() {
        assertThat(commands.enqueue("moondream", "caption", "x.jpg")).endsWith(
                "\nNo handler serves model 'moondream' yet: the job waits in the queue until one is registered.");
        var llava = ShellFixture.reference(Map.of("service.id", 2L, BatchItemHandler.RESOURCE,
                new String[] {"llava:13b", "moondream"}));
        commands.addHandler(llava);
        assertThat(commands.enqueue("moondream", "caption", "y.jpg")).endsWith("(1 item)");
        commands.removeHandler(llava);
        assertThat(commands.enqueue("moondream", "caption", "z.jpg")).contains("No handler serves");
        commands.addHandler(ShellFixture.reference(Map.of("service.id", 3L, BatchItemHandler.RESOURCE, "*")));
        assertThat(commands.enqueue("anything", "caption", "w.jpg")).endsWith("(1 item)");
    }

    @Test
    void enqueueMistakesAreSentences() {
        assertThatThrownBy(() -> commands.enqueue("m", "op")).isInstanceOf(CommandFailure.Error.class)
                .hasMessage("A job needs at least one item. Usage: batch:enqueue <model> <operation> <item> [<item>…]");
        assertThatThrownBy(() -> commands.enqueue("m", "op", "a", "a")).isInstanceOf(CommandFailure.Error.class)
                .hasMessageStartingWith("Could not enqueue the job: ").hasMessageEndingWith(".");
    }

    @Test
    void etaSaysWhatIsLeftInOneUnit() {
        fixture.enqueue("abc-123", "m", "a", "b");
        assertThat(commands.eta("abc-")).isEqualTo("Job abc-123: 2 item(s) left, no timing data yet for m tag.");
        fixture.queue.markRunning("abc-123");
        fixture.queue.updateItem("abc-123", "a", BatchItemStatus.COMPLETED, null, 125_000L);
        assertThat(commands.eta("abc-123")).isEqualTo("Job abc-123: 1 item(s) left, about 0:02:05.");
    }
}

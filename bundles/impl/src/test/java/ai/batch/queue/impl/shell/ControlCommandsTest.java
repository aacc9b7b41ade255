package ai.batch.queue.impl.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.JobPriority;

class ControlCommandsTest {

    private final ShellFixture fixture = new ShellFixture();
    private final ControlCommands commands = new ControlCommands(fixture.queue);

    @Test
    void cancelRetryAndPurgeAcceptUniquePrefixes() {
        fixture.enqueue("abc-123", "m", "a", "b");
        assertThat(commands.cancel("abc-", "a")).isEqualTo("Cancelled item a of job abc-123.");
        fixture.queue.markRunning("abc-123");
        fixture.queue.updateItem("abc-123", "b", BatchItemStatus.FAILED, "boom", 5L);
        fixture.queue.markCompleted("abc-123");
        assertThat(commands.retry("abc-1")).isEqualTo("Re-queued 1 failed item of job abc-123.");
        assertThat(fixture.queue.getJob("abc-123").orElseThrow().status()).isEqualTo(BatchJobStatus.QUEUED);
        assertThat(commands.cancel("abc-123")).isEqualTo("Cancelled job abc-123.");
        assertThat(commands.purge("abc-123")).isEqualTo("Removed job abc-123.");
    }

    @Test
    void stateErrorsAreSentencesNotQueueExceptions() {
        fixture.enqueue("done-job", "m", "a", "b");
        fixture.queue.markRunning("done-job");
        fixture.queue.updateItem("done-job", "a", BatchItemStatus.COMPLETED, null, 5L);
        fixture.queue.updateItem("done-job", "b", BatchItemStatus.COMPLETED, null, 5L);
        fixture.queue.markCompleted("done-job");
        fixture.enqueue("waiting", "m", "a");

        assertThatThrownBy(() -> commands.cancel("done-job")).isExactlyInstanceOf(CommandFailure.Error.class)
                .hasMessage("Job done-job has already completed: there is nothing left to cancel.");
        assertThatThrownBy(() -> commands.cancel("done-job", "a"))
                .hasMessage("Item 'a' of job done-job has already finished (completed): there is nothing left to cancel.");
        assertThatThrownBy(() -> commands.cancel("done-job", "zzz"))
                .hasMessage("Job done-job has no item 'zzz' (see batch:job done-job).");
        assertThatThrownBy(() -> commands.retry("done-job"))
                .hasMessage("Job done-job has no failed items to retry.");
        assertThatThrownBy(() -> commands.retry("waiting"))
                .hasMessage("Job waiting is still queued: only a finished job's failed items can be retried.");
        assertThatThrownBy(() -> commands.front("done-job"))
                .hasMessage("Job done-job is completed: only a queued job can be moved to the front.");
        assertThatThrownBy(() -> commands.priority("done-job", "high"))
                .hasMessage("Job done-job is completed: only a queued job can be given another priority.");
        assertThatThrownBy(() -> commands.purge("waiting")).hasMessage(
                "Job waiting is queued: only a finished job can be removed (cancel it first: batch:cancel waiting).");
        assertThatThrownBy(() -> commands.priority("waiting", "asap"))
                .hasMessage("Priority must be low, normal or high, not 'asap'.");
        assertThatThrownBy(() -> commands.cancel("nope"))
                .hasMessage("No job with id 'nope' (see batch:jobs).");
        // the simple name is what Gogo prints before the message: "gogo: Error: Job done-job has already …"
        assertThat(CommandFailure.Error.class.getSimpleName()).isEqualTo("Error");
    }

    @Test
    void withoutArgumentsTheyPrintTheirUsage() {
        assertThat(commands.cancel()).startsWith("Usage: batch:cancel");
        assertThat(commands.retry()).startsWith("Usage: batch:retry");
        assertThat(commands.front()).startsWith("Usage: batch:front");
        assertThat(commands.priority()).startsWith("Usage: batch:priority");
        assertThat(commands.purge()).startsWith("Usage: batch:purge");
    }

    @Test
    void pauseResumeFrontAndPriorityDriveTheQueue() {
        fixture.enqueue("job-a", "m", "a");
        fixture.enqueue("job-b", "n", "b");
        assertThat(commands.pause()).startsWith("Queue paused");
        assertThat(fixture.queue.isPaused()).isTrue();
        assertThat(commands.resume()).isEqualTo("Queue resumed.");
        assertThat(commands.front("job-b")).isEqualTo("Job job-b runs next.");
        assertThat(fixture.queue.nextQueued()).get().extracting(BatchJob::id).isEqualTo("job-b");
        assertThat(commands.priority("job-a", "HIGH")).isEqualTo("Job job-a has priority high.");
        assertThat(fixture.queue.getJob("job-a").orElseThrow().priority()).isEqualTo(JobPriority.HIGH);
    }

    @Test
    void purgeFinishedRemovesFinishedJobsOnly() {
        fixture.enqueue("done-1", "m", "a");
        fixture.enqueue("done-2", "m", "a");
        fixture.enqueue("waiting", "m", "a");
        fixture.queue.cancelJob("done-1");
        fixture.queue.cancelJob("done-2");
        assertThat(commands.purge("done-1")).isEqualTo("Removed job done-1.");
        assertThat(commands.purge("--finished")).isEqualTo("Removed 1 finished job.");
        assertThat(fixture.queue.listJobs()).extracting(BatchJob::id).containsExactly("waiting");
    }
}

package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.NoSuchElementException;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import ai.batch.queue.BatchJob;

/** The batch:* commands, run through a real Gogo command processor. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GogoCommandsIT extends QueueTestSupport {

    @Inject
    private CommandProcessor processor;

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return TestOptions.runtime(mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime")
                .versionAsInProject());
    }

    private Object run(String command) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(sink, true);
                CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            return session.execute(command);
        }
    }

    @Test
    public void commandsEnqueueListShowCancelRetryAndEstimate() throws Exception {
        handlers.register("gogo", "gogo-model");
        String enqueued = (String) run("batch:enqueue gogo-model tag a.jpg fail");
        assertTrue(enqueued, enqueued.startsWith("Enqueued job ") && enqueued.endsWith(" (2 items)"));
        String jobId = enqueued.substring("Enqueued job ".length(), enqueued.indexOf(' ', "Enqueued job ".length()));
        awaitCompleted(jobId, "completedWithErrors");

        String jobs = (String) run("batch:jobs");
        assertTrue(jobs, jobs.startsWith("ID"));
        assertTrue(jobs, jobs.lines().anyMatch(line -> line.startsWith(jobId) && line.contains("gogo-model")
                && line.contains("completedWithErrors") && line.contains("2/2")));

        String job = (String) run("batch:job " + jobId.substring(0, 8));
        assertTrue(job, job.contains("a.jpg  completed  unknown"));
        assertTrue(job, job.contains("error: scripted failure of fail"));

        String retried = (String) run("batch:retry " + jobId);
        assertEquals("Re-queued 1 failed item of job " + jobId, retried);
        events.await(e -> e.getTopic().equals("ai_batch/job_completed") && jobId.equals(e.getProperty("jobId"))
                && events.of("ai_batch/job_completed", jobId).size() == 2, "second completion");

        String eta = (String) run("batch:eta " + jobId);
        assertTrue(eta, eta.startsWith("Job " + jobId + ": 0 item(s) left"));
    }

    @Test
    public void cancelCommandCancelsAQueuedJob() throws Exception {
        String enqueued = (String) run("batch:enqueue no-handler-model tag x.jpg");
        String jobId = enqueued.split(" ")[2];
        assertEquals("Cancelled job " + jobId, run("batch:cancel " + jobId));
        BatchJob<?> job = snapshot(jobId);
        assertEquals("cancelled", job.status().wireName());
    }

    @Test
    public void unknownJobIsAClearError() throws Exception {
        try {
            run("batch:job does-not-exist");
            fail("expected an error");
        } catch (NoSuchElementException e) {
            assertEquals("No job with id 'does-not-exist' (see batch:jobs)", e.getMessage());
        }
    }
}

package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

import ai.batch.queue.BatchJob;
import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;

/** The batch:* commands, run through a real Gogo command processor. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GogoCommandsIT extends QueueTestSupport {

    private static final long DEADLINE_MS = 20_000;

    @Inject
    private CommandProcessor processor;

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return TestOptions.runtime(
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                // felix:help, which reads the commands' @Descriptor and @Parameter annotations
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.command", "1.1.2"));
    }

    private Object run(String command) throws Exception {
        return run(command, new ByteArrayOutputStream());
    }

    private Object run(String command, OutputStream sink) throws Exception {
        try (PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
                CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            return session.execute(command);
        }
    }

    /** What a command printed (not what it returned). */
    private String printed(String command) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Object result = run(command, sink);
        return sink.toString(StandardCharsets.UTF_8) + (result == null ? "" : result);
    }

    private static String idOf(String enqueued) {
        return enqueued.substring("Enqueued job ".length(), enqueued.indexOf(' ', "Enqueued job ".length()));
    }

    /** The refusal Gogo's console would print as "gogo: Error: <sentence>". */
    private Exception refusal(String command) throws Exception {
        try {
            Object result = run(command);
            fail("expected " + command + " to be refused, it answered " + result);
            return null;
        } catch (Exception e) {
            assertEquals(e.toString(), "Error", e.getClass().getSimpleName());
            return e;
        }
    }

    @Test
    public void commandsEnqueueListShowCancelRetryAndEstimate() throws Exception {
        handlers.register("gogo", "gogo-model");
        String enqueued = (String) run("batch:enqueue gogo-model tag a.jpg fail");
        assertTrue(enqueued, enqueued.startsWith("Enqueued job ") && enqueued.endsWith(" (2 items)"));
        String jobId = idOf(enqueued);
        awaitCompleted(jobId, "completedWithErrors");

        String jobs = (String) run("batch:jobs");
        assertTrue(jobs, jobs.startsWith("ID"));
        assertTrue(jobs, jobs.lines().anyMatch(line -> line.startsWith(jobId.substring(0, 8) + " ")
                && line.contains("gogo-model") && line.contains("completedWithErrors") && line.contains("2/2")));
        assertFalse("short ids only: " + jobs, jobs.contains(jobId));

        String job = (String) run("batch:job " + jobId.substring(0, 8));
        assertTrue(job, job.contains("a.jpg  completed  unknown"));
        assertTrue(job, job.contains("error: scripted failure of fail"));

        String retried = (String) run("batch:retry " + jobId);
        assertEquals("Re-queued 1 failed item of job " + jobId.substring(0, 8) + ".", retried);
        events.await(e -> e.getTopic().equals("ai_batch/job_completed") && jobId.equals(e.getProperty("jobId"))
                && events.of("ai_batch/job_completed", jobId).size() == 2, "second completion");

        String eta = (String) run("batch:eta " + jobId);
        assertTrue(eta, eta.startsWith("Job " + jobId + ": 0 item(s) left"));
    }

    @Test
    public void cancelCommandCancelsAQueuedJobAndWarnsThatNoHandlerServesIt() throws Exception {
        String enqueued = (String) run("batch:enqueue no-handler-model tag x.jpg");
        assertTrue(enqueued, enqueued.endsWith("(1 item)\nNo handler serves model 'no-handler-model' yet: "
                + "the job waits in the queue until one is registered."));
        String jobId = idOf(enqueued);
        assertEquals("Cancelled job " + jobId.substring(0, 8) + ".", run("batch:cancel " + jobId));
        BatchJob<?> job = snapshot(jobId);
        assertEquals("cancelled", job.status().wireName());
    }

    @Test
    public void refusalsAreSentences() throws Exception {
        assertEquals("No job with id 'does-not-exist' (see batch:jobs).",
                refusal("batch:job does-not-exist").getMessage());
        String jobId = idOf((String) run("batch:enqueue no-handler-model tag x.jpg"));
        run("batch:cancel " + jobId);
        String shortId = jobId.substring(0, 8);
        assertEquals("Job " + shortId + " is cancelled: only a queued job can be moved to the front.",
                refusal("batch:front " + shortId).getMessage());
        assertEquals("Job " + shortId + " has no failed items to retry.", refusal("batch:retry " + shortId).getMessage());
        String tooShort = refusal("batch:job " + jobId.charAt(0)).getMessage();
        assertTrue(tooShort, tooShort.startsWith("'" + jobId.charAt(0) + "' ")
                && tooShort.contains("\n  " + shortId + "  no-handler-model  tag  cancelled"));
        run("batch:purge " + jobId);
    }

    @Test
    public void withoutAnIdBatchJobPrintsItsUsage() throws Exception {
        String usage = (String) run("batch:job");
        assertTrue(usage, usage.startsWith("Usage: batch:job [-a | --all] [-f | --follow] <job id or prefix>"));
    }

    @Test
    public void helpDescribesTheCommandsAndTheirArguments() throws Exception {
        String help = printed("help batch:enqueue");
        assertTrue(help, help.contains("adds a job whose items are the given texts"));
        assertTrue(help, help.contains("the model, e.g. llava:13b"));
        String job = printed("help batch:job");
        assertTrue(job, job.contains("--all") && job.contains("show every item") && job.contains("--follow"));
    }

    @Test
    public void jobShowsTwentyItemsUnlessAll() throws Exception {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            items.append(" item-").append(i);
        }
        String jobId = idOf((String) run("batch:enqueue no-handler-model tag" + items));
        try {
            String some = (String) run("batch:job " + jobId);
            assertTrue(some, some.endsWith("… 5 more items not shown (batch:job --all " + jobId + " shows all)"));
            String all = (String) run("batch:job --all " + jobId);
            assertTrue(all, all.contains("item-24") && !all.contains("not shown"));
        } finally {
            queue.cancelJob(jobId);
            queue.purge(jobId);
        }
    }

    @Test
    public void watchShowsProgressLinesUntilTheJobEnds() throws Exception {
        ScriptedHandler handler = handlers.register("watched", "watch-model").handler();
        String jobId = idOf((String) run("batch:enqueue watch-model tag first block"));
        LineLatch out = new LineLatch();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread watcher = watch("batch:watch " + jobId.substring(0, 8), out, result);
        handler.awaitStart(); // "first"
        assertTrue("a progress line", out.lines.await(DEADLINE_MS, TimeUnit.MILLISECONDS));
        handler.release();
        watcher.join(DEADLINE_MS);
        assertFalse("batch:watch ended with the job", watcher.isAlive());
        assertEquals("Job " + jobId.substring(0, 8) + " completed: 2/2 items.", result.get());
        List<String> lines = out.toString().lines().toList();
        assertTrue(out.toString(), lines.get(lines.size() - 1).endsWith("completed  [####################] 2/2"));
        assertFalse("no carriage returns off a terminal: " + out, out.toString().contains("\r"));
        for (int i = 1; i < lines.size(); i++) {
            assertFalse("a line per change: " + lines, lines.get(i).equals(lines.get(i - 1)));
        }
    }

    /**
     * Ctrl-C in a Gogo console interrupts the session's foreground job: that stops following (Gogo then reports the
     * interrupt instead of a result, so the command says it on its output), not the job.
     */
    @Test
    public void ctrlCStopsFollowingAndTheJobGoesOn() throws Exception {
        ScriptedHandler handler = handlers.register("followed", "follow-model").handler();
        String jobId = idOf((String) run("batch:enqueue follow-model tag block"));
        handler.awaitStart();
        LineLatch out = new LineLatch();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
                CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print,
                        print)) {
            Thread watcher = new Thread(() -> {
                try {
                    session.execute("batch:job --follow " + jobId);
                } catch (Exception expected) {
                    // Gogo's InterruptedException for the cancelled foreground job
                }
            }, "gogo-follow");
            watcher.start();
            assertTrue("a progress line", out.lines.await(DEADLINE_MS, TimeUnit.MILLISECONDS));
            // as a person's Ctrl-C would, between two reads: an interrupt during a write closes Gogo's output
            awaitFollowLoopWaiting();
            session.foregroundJob().interrupt();
            out.awaitText("Stopped following job " + jobId.substring(0, 8) + "; it goes on");
            watcher.join(DEADLINE_MS);
            assertFalse("Ctrl-C ends batch:job --follow", watcher.isAlive());
        }
        assertTrue(out.toString(), out.toString().contains("running  [--------------------] 0/1"));
        assertEquals("running", snapshot(jobId).status().wireName());
        handler.release();
        awaitCompleted(jobId, "completed");
    }

    @Test
    public void modelsListsWhatRuntimesHoldAndWhatJobsWaitFor() throws Exception {
        Instant until = Instant.now().plusSeconds(300);
        ModelLifecycle runtime = new ModelLifecycle() {
            @Override
            public List<LoadedModel> loadedModels() {
                return List.of(LoadedModel.of("held-model", 2L << 30, until));
            }

            @Override
            public void load(String resourceKey) {
            }

            @Override
            public void unload(String resourceKey) {
            }
        };
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(BatchItemHandler.RESOURCE, "held-model");
        ServiceRegistration<ModelLifecycle> registration = context.registerService(ModelLifecycle.class, runtime,
                props);
        String jobId = idOf((String) run("batch:enqueue waiting-model tag x.jpg"));
        try {
            String models = (String) run("batch:models");
            assertNotNull(models);
            assertTrue(models, models.lines().anyMatch(line -> line.startsWith("service " + registration.getReference()
                    .getProperty("service.id") + "  held-model ") && line.contains("2.0 GB")
                    && line.matches(".*in 0:0[45]:[0-9]{2}.*")));
            assertTrue(models, models.contains("Waiting for a model:"));
            assertTrue(models, models.lines().anyMatch(line -> line.startsWith("waiting-model ")
                    && line.endsWith("none: jobs wait until one is registered")));
        } finally {
            registration.unregister();
            queue.cancelJob(jobId);
            queue.purge(jobId);
        }
    }

    @Test
    public void slotsListsTheSlotsHandlersDeclare() throws Exception {
        assertTrue(((String) run("batch:slots")).startsWith("No slots: no handler declares ai.batch.slot"));
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(BatchItemHandler.RESOURCE, "slot-model");
        props.put(BatchItemHandler.SLOT, "gpu-box-7");
        ServiceRegistration<BatchItemHandler> registration = context.registerService(BatchItemHandler.class,
                (data, itemContext) -> ai.batch.queue.handler.ItemResult.success(), props);
        try {
            // the executor learns of the handler on the thread that registered it: no wait needed
            String slots = (String) run("batch:slots");
            assertTrue(slots, slots.lines().anyMatch(line -> line.startsWith("gpu-box-7 ") && line.contains(" idle ")
                    && line.endsWith("slot-model")));
        } finally {
            registration.unregister();
        }
    }

    /** Until the thread running the follow loop waits between two reads (it spends nearly all its time there). */
    private static void awaitFollowLoopWaiting() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (Thread.getAllStackTraces().entrySet().stream().noneMatch(thread -> thread.getKey().getState()
                == Thread.State.TIMED_WAITING && Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().endsWith(".JobWatch")))) {
            if (System.nanoTime() > deadline) {
                fail("the follow loop never waited");
            }
            Thread.yield();
        }
    }

    private Thread watch(String command, OutputStream out, AtomicReference<Object> result) {
        Thread thread = new Thread(() -> {
            try {
                result.set(run(command, out));
            } catch (Exception e) {
                result.set(e);
            }
        }, "gogo-watch");
        thread.start();
        return thread;
    }

    /** Collects what a command prints and opens its latch at the first line. */
    private static final class LineLatch extends OutputStream {
        final CountDownLatch lines = new CountDownLatch(1);
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            if (b == '\n') {
                lines.countDown();
                notifyAll();
            }
        }

        synchronized void awaitText(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
            while (!toString().contains(text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("no '" + text + "' in:\n" + this);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        @Override
        public synchronized String toString() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}

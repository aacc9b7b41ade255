package ai.batch.queue.crash;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.EnumMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.handler.BatchItemHandler;

/**
 * One life of the crash test, run on the launcher's main thread; its return value is the process's exit code.
 * <ol>
 * <li>Records the life in this bundle's data area ({@link StorageProbe}).</li>
 * <li>Waits for the {@link BatchQueue}; every job an earlier life saw {@code enqueue} return for must be in it
 * (else the queue lost state: exit {@value #EXIT_STATE_LOST}).</li>
 * <li>Registers one {@link SimulatedModel} per model, which logs each call to {@code calls.log}.</li>
 * <li>Unless {@code enqueued.marker} exists, enqueues the {@link Workload}; a job whose id is already in use was
 * enqueued by an earlier life. Each acknowledged job id goes to {@code enqueued.log}, then the marker is
 * written.</li>
 * <li>Waits, woken by {@code job_completed} events, until every job has finished, writes the jobs from
 * {@code listJobs()} to {@code final.json} atomically and returns 0 ({@value #EXIT_DEADLINE} when the deadline
 * passes first).</li>
 * </ol>
 * Killed lives stop anywhere in between; the next life carries on from what the queue recovered.
 */
public final class CrashRun implements Callable<Integer> {

    static final int EXIT_DONE = 0;
    static final int EXIT_ERROR = 1;
    static final int EXIT_DEADLINE = 2;
    static final int EXIT_STATE_LOST = 3;
    static final int EXIT_NO_QUEUE = 4;

    private static final long RECHECK_MS = 1_000;
    private static final String ENQUEUED_LOG = "enqueued.log";
    private static final String MARKER = "enqueued.marker";
    private static final String FINAL_STATE = "final.json";

    private final BundleContext context;
    private final long startNanos = System.nanoTime();
    private int life;

    CrashRun(BundleContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try {
            CrashSettings settings = CrashSettings.fromSystemProperties();
            life = settings.life();
            return run(settings);
        } catch (Throwable e) {
            say("harness error: %s", e);
            e.printStackTrace(System.out);
            return EXIT_ERROR;
        }
    }

    private int run(CrashSettings settings) throws Exception {
        long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(settings.deadlineMs());
        List<String> earlierLives = StorageProbe.record(context, settings);
        say("started (pid %d, %d items in %d jobs); lives found in the bundle data area: %s",
                ProcessHandle.current().pid(), settings.items(), settings.jobs(),
                earlierLives.isEmpty() ? "none" : String.join(",", earlierLives));
        LogEcho logEcho = new LogEcho(context);
        logEcho.open();
        ServiceTracker<BatchQueue, BatchQueue> queues = new ServiceTracker<>(context, BatchQueue.class, null);
        queues.open();
        try {
            BatchQueue queue = queues.waitForService(Math.max(1, millisLeft(deadline)));
            if (queue == null) {
                say("no BatchQueue service appeared within the deadline");
                return EXIT_NO_QUEUE;
            }
            return runWith(queue, settings, deadline);
        } finally {
            queues.close();
            logEcho.close();
        }
    }

    private int runWith(BatchQueue queue, CrashSettings settings, long deadline) throws Exception {
        Path dir = settings.dir();
        List<String> expected = Workload.jobIds(settings.jobs());
        List<BatchJob<?>> recovered = queue.listJobs();
        say("the queue holds %s", describe(recovered, expected.size()));
        Set<String> acknowledged = new LinkedHashSet<>(DurableFiles.readLines(dir.resolve(ENQUEUED_LOG)));
        List<String> lost = missing(acknowledged, recovered);
        if (!lost.isEmpty()) {
            return stateLost(dir, recovered, lost, acknowledged.size());
        }
        CompletionSignal signal = new CompletionSignal();
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        try (CallLog calls = CallLog.open(dir.resolve("calls.log"), settings.life())) {
            try {
                Dictionary<String, Object> topics = new Hashtable<>();
                topics.put(EventConstants.EVENT_TOPIC,
                        new String[] {BatchEvents.TOPIC_JOB_COMPLETED, BatchEvents.TOPIC_JOB_CANCELLED});
                registrations.add(context.registerService(EventHandler.class, signal, topics));
                for (String model : Workload.MODELS) {
                    Dictionary<String, Object> props = new Hashtable<>();
                    props.put(BatchItemHandler.RESOURCE, model);
                    registrations.add(context.registerService(BatchItemHandler.class,
                            new SimulatedModel(model, calls, settings.minWorkMs(), settings.maxWorkMs()), props));
                }
                if (!Files.exists(dir.resolve(MARKER))) {
                    enqueue(queue, settings);
                }
                return awaitFinished(queue, signal, dir, expected, deadline);
            } finally {
                registrations.forEach(CrashRun::unregister);
            }
        }
    }

    private void enqueue(BatchQueue queue, CrashSettings settings) throws IOException {
        int added = 0;
        int earlier = 0;
        for (BatchJob<String> job : Workload.jobs(settings.jobs(), settings.items())) {
            try {
                queue.enqueue(job);
                added++;
            } catch (IllegalArgumentException e) {
                if (e.getMessage() == null || !e.getMessage().contains("in use")) {
                    throw e;
                }
                earlier++; // enqueued by a life that was killed before it wrote the marker
            }
            DurableFiles.appendLine(settings.dir().resolve(ENQUEUED_LOG), job.id());
        }
        DurableFiles.writeAtomically(settings.dir().resolve(MARKER),
                ("workload enqueued in life " + settings.life() + "\n").getBytes(StandardCharsets.UTF_8));
        say("enqueued %d jobs; %d were already in the queue from an earlier life", added, earlier);
    }

    private int awaitFinished(BatchQueue queue, CompletionSignal signal, Path dir, List<String> expected,
            long deadline) throws Exception {
        while (true) {
            List<BatchJob<?>> jobs = queue.listJobs();
            List<String> lost = missing(expected, jobs);
            if (!lost.isEmpty()) {
                return stateLost(dir, jobs, lost, expected.size());
            }
            if (jobs.stream().filter(job -> expected.contains(job.id())).allMatch(CrashRun::finished)) {
                writeFinalState(dir, jobs);
                say("all %d jobs finished: %s; wrote %s", expected.size(), describe(jobs, expected.size()),
                        FINAL_STATE);
                return EXIT_DONE;
            }
            long left = millisLeft(deadline);
            if (left <= 0) {
                writeFinalState(dir, jobs);
                say("deadline passed with %s", describe(jobs, expected.size()));
                return EXIT_DEADLINE;
            }
            if (signal.await(Math.min(left, RECHECK_MS))) {
                say("a job ended: %s", describe(queue.listJobs(), expected.size()));
            }
        }
    }

    private int stateLost(Path dir, List<BatchJob<?>> jobs, List<String> lost, int acknowledged) throws IOException {
        writeFinalState(dir, jobs);
        say("STATE LOST: %d of the %d jobs whose enqueue returned in an earlier life are not in the queue: %s",
                lost.size(), acknowledged, lost);
        return EXIT_STATE_LOST;
    }

    private static void writeFinalState(Path dir, List<BatchJob<?>> jobs) throws IOException {
        DurableFiles.writeAtomically(dir.resolve(FINAL_STATE), new ObjectMapper().writeValueAsBytes(jobs));
    }

    private static List<String> missing(Iterable<String> ids, List<BatchJob<?>> jobs) {
        Set<String> present = new LinkedHashSet<>();
        jobs.forEach(job -> present.add(job.id()));
        List<String> missing = new ArrayList<>();
        ids.forEach(id -> {
            if (!present.contains(id)) {
                missing.add(id);
            }
        });
        return missing;
    }

    private static boolean finished(BatchJob<?> job) {
        return job.status() == BatchJobStatus.COMPLETED || job.status() == BatchJobStatus.COMPLETED_WITH_ERRORS
                || job.status() == BatchJobStatus.CANCELLED;
    }

    /** E.g. "6 jobs of 6 (completed 2, running 1, queued 3), items: completed 512, pending 888". */
    private static String describe(List<BatchJob<?>> jobs, int expectedJobs) {
        Map<BatchJobStatus, Integer> jobStates = new EnumMap<>(BatchJobStatus.class);
        Map<BatchItemStatus, Integer> itemStates = new EnumMap<>(BatchItemStatus.class);
        for (BatchJob<?> job : jobs) {
            jobStates.merge(job.status(), 1, Integer::sum);
            for (BatchItem<?> item : job.items()) {
                itemStates.merge(item.status(), 1, Integer::sum);
            }
        }
        return jobs.size() + " jobs of " + expectedJobs + " " + counts(jobStates) + ", items " + counts(itemStates);
    }

    private static String counts(Map<? extends Enum<?>, Integer> counts) {
        Map<String, Integer> named = new LinkedHashMap<>();
        counts.forEach((state, count) -> named.put(state.name().toLowerCase(Locale.ROOT), count));
        return named.toString();
    }

    private static long millisLeft(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }

    private void say(String format, Object... args) {
        long uptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.printf("[crash life %d, %d ms after JVM start] %s%n", life, uptimeMs, String.format(format, args));
        System.out.flush();
    }
}

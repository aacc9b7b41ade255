package example.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.osgi.service.event.Event;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.handler.BatchItemHandler;
import example.demo.models.SimulatedServer;

/**
 * Three simulated model servers, each a slot of the queue holding one model at a time, and fifteen jobs of five
 * models enqueued interleaved: the work spreads over the three servers while each model loads on few of them.
 */
final class SlotsExample {

    static final List<String> MODELS = List.of("qwen2.5vl:7b", "gemma3:12b", "minicpm-v", "granite3.2-vision",
            "llama3.2-vision");
    private static final int SERVERS = 3;
    static final int ROUNDS = 3;
    static final int ITEMS = 8;
    static final long LOAD_MS = 1500;
    static final long ITEM_MS = 200;
    private static final long TIMEOUT_SECONDS = 120;

    private SlotsExample() {
    }

    static int run(BatchQueue queue, Demo.Hooks hooks, PrintStream out, Terminal terminal)
            throws InterruptedException {
        Text.wrap("slots: three simulated model servers (slots gpu-1, gpu-2, gpu-3), each holding one model at a"
                + " time (a load takes 1.5 s, an item 0.2 s), all able to run the same five models. Fifteen jobs"
                + " of eight photos are enqueued interleaved: " + ROUNDS + " rounds of " + String.join(", ", MODELS)
                + ".", terminal.columns(), "").forEach(out::println);
        out.println();
        Map<String, SimulatedServer> servers = new LinkedHashMap<>();
        List<Demo.Subscription> registrations = new ArrayList<>();
        Progress progress = new Progress();
        try (Demo.Subscription events = hooks.subscribe(progress::handle)) {
            // the jobs first, then the servers: all of the work is known when the first slot claims
            List<String> ids = new ArrayList<>();
            for (BatchJob<String> job : jobs()) {
                ids.add(queue.enqueue(job));
            }
            long start = System.nanoTime();
            for (int i = 1; i <= SERVERS; i++) {
                SimulatedServer server = new SimulatedServer(hooks.speed(), LOAD_MS, ITEM_MS);
                servers.put("gpu-" + i, server);
                registrations.add(hooks.registerHandler(server, Map.of(BatchItemHandler.RESOURCE,
                        MODELS.toArray(String[]::new), BatchItemHandler.SLOT, "gpu-" + i)));
            }
            if (!progress.awaitCompleted(ids, out)) {
                return 1;
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            report(servers, progress, ids, out, terminal.columns(), tookMs * hooks.speed());
        } finally {
            registrations.forEach(Demo.Subscription::close);
        }
        return 0;
    }

    private static void report(Map<String, SimulatedServer> servers, Progress progress, List<String> ids,
            PrintStream out, int columns, double simulatedMs) {
        out.println("Per slot:");
        int loads = 0;
        for (Map.Entry<String, SimulatedServer> entry : servers.entrySet()) {
            SimulatedServer server = entry.getValue();
            loads += server.loads();
            out.printf("  %-6s %3d items  %d loads  models: %s%n", entry.getKey(),
                    progress.itemsBySlot.getOrDefault(entry.getKey(), 0), server.loads(),
                    String.join(", ", server.modelsRun()));
        }
        long shared = ids.stream().filter(id -> progress.slotsByJob.getOrDefault(id, Set.of()).size() > 1).count();
        out.println();
        List<String> lines = List.of(
                String.format("Model loads: %d in all, counted by the servers (%d models, %d slots: at most %d);"
                        + " one server in enqueue order would load %d times.", loads, MODELS.size(), SERVERS,
                        MODELS.size() + SERVERS, ROUNDS * MODELS.size()),
                String.format("Jobs whose items ran on more than one slot: %d of %d.", shared, ids.size()),
                String.format(java.util.Locale.ROOT, "Took %.1f s of simulated time; one server would need at"
                        + " least %.1f s.", simulatedMs / 1000.0,
                        (MODELS.size() * LOAD_MS + ids.size() * ITEMS * ITEM_MS) / 1000.0));
        lines.forEach(line -> Text.wrap(line, columns).forEach(out::println));
    }

    /** The fifteen jobs: {@link #ROUNDS} rounds of the {@link #MODELS}, each of {@link #ITEMS} photos. */
    static List<BatchJob<String>> jobs() {
        List<BatchJob<String>> jobs = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (String model : MODELS) {
                jobs.add(BatchJob.of(model, "caption", OverwritePolicy.OVERWRITE, photos(model + "-" + round)));
            }
        }
        return jobs;
    }

    private static List<BatchItem<String>> photos(String prefix) {
        List<BatchItem<String>> items = new ArrayList<>();
        for (int i = 1; i <= ITEMS; i++) {
            items.add(BatchItem.of("photo-" + i, prefix + "-" + i + ".jpg", SizeBucket.SMALL));
        }
        return items;
    }

    /** Counts, from the events, the items each slot ran and the slots each job used. */
    private static final class Progress {
        final Map<String, Integer> itemsBySlot = new TreeMap<>();
        final Map<String, Set<String>> slotsByJob = new LinkedHashMap<>();
        private final Set<String> completed = new HashSet<>();

        synchronized void handle(Event event) {
            String jobId = (String) event.getProperty(BatchEvents.JOB_ID);
            if (BatchEvents.TOPIC_ITEM_PROGRESS.equals(event.getTopic())) {
                Object slot = event.getProperty(BatchEvents.SLOT);
                if (slot instanceof String name) {
                    itemsBySlot.merge(name, 1, Integer::sum);
                    slotsByJob.computeIfAbsent(jobId, id -> new HashSet<>()).add(name);
                }
            } else if (BatchEvents.TOPIC_JOB_COMPLETED.equals(event.getTopic())) {
                completed.add(jobId);
                notifyAll();
            }
        }

        synchronized boolean awaitCompleted(List<String> ids, PrintStream out) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!completed.containsAll(ids)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    out.println("The jobs did not complete within " + TIMEOUT_SECONDS + " s");
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}

package example.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.event.Event;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.handler.BatchItemHandler;
import example.demo.models.SimulatedServer;

/**
 * The demo as one node of a fleet ({@code --fleet <jdbc-url>}): joins, registers one simulated model server as
 * this node's slot {@code gpu} (room for one model, the slots example's five models), enqueues the slots example's
 * fifteen jobs when asked ({@code --fleet-enqueue}), and reports a status line every half second until standard
 * input closes: {@code fleet-status node=<id> items=<n> loads=<n> models=<list>}, where items counts the items
 * this node recorded, from the fleet's events.
 */
final class FleetNodeRun {

    private static final long STATUS_MS = 500;

    private FleetNodeRun() {
    }

    static int run(DemoOptions options, Demo.Hooks hooks, PrintStream out) throws Exception {
        String node = FleetJoin.nodeId(options.nodeId());
        BatchQueue queue = hooks.joinFleet(options.fleet(), node);
        out.println("fleet-joined node=" + node);
        AtomicInteger items = new AtomicInteger();
        SimulatedServer server = new SimulatedServer(hooks.speed(), SlotsExample.LOAD_MS, SlotsExample.ITEM_MS);
        PrintWriter log = options.fleetLog() == null ? null : new PrintWriter(Files.newBufferedWriter(
                Path.of(options.fleetLog()), StandardCharsets.UTF_8), true);
        try (Demo.Subscription events = hooks.subscribe(event -> {
                    if (BatchEvents.TOPIC_ITEM_PROGRESS.equals(event.getTopic()) && node.equals(event.getProperty("node"))) {
                        items.incrementAndGet();
                    }
                    if (log != null && event.getProperty("seq") != null) { // the fleet's events, not the local node table
                        log.println(line(event));
                    }
                });
                Demo.Subscription slot = hooks.registerHandler(server, Map.of(BatchItemHandler.RESOURCE,
                        SlotsExample.MODELS.toArray(String[]::new), BatchItemHandler.SLOT, "gpu"))) {
            if (options.fleetEnqueue()) {
                for (BatchJob<String> job : SlotsExample.jobs()) {
                    queue.enqueue(job);
                }
                out.println("fleet-enqueued jobs=" + SlotsExample.jobs().size());
            }
            Thread input = new Thread(FleetNodeRun::awaitEndOfInput, "demo-fleet-input");
            input.setDaemon(true);
            input.start();
            do {
                out.printf("fleet-status node=%s items=%d loads=%d models=%s%n", node, items.get(), server.loads(),
                        String.join(",", server.modelsRun()));
                input.join(STATUS_MS);
            } while (input.isAlive());
        } finally {
            if (log != null) {
                log.close();
            }
        }
        out.printf("fleet-status node=%s items=%d loads=%d models=%s%n", node, items.get(), server.loads(),
                String.join(",", server.modelsRun()));
        return 0;
    }

    private static String line(Event event) {
        return event.getProperty("seq") + " " + event.getTopic() + " " + event.getProperty(BatchEvents.JOB_ID) + " "
                + event.getProperty(BatchEvents.ITEM_ID) + " " + event.getProperty("node");
    }

    private static void awaitEndOfInput() {
        try {
            DemoMain.awaitEndOfInput();
        } catch (IOException e) {
            // standard input is gone: the same as its end
        }
    }
}

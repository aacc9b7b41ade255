package example.fleet;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * {@code ./demo --example fleet}: one queue on PostgreSQL, three nodes. Starts an embedded PostgreSQL (PostgreSQL's
 * own binaries from Maven Central) and three nodes, each the demo on embedded Felix in a JVM of its own with one
 * simulated model server; node-1 enqueues fifteen jobs of five models. Mid-run it kills node-2 with kill -9 and shows
 * its items finishing elsewhere; with {@code --freeze} it also stops node-3 (SIGSTOP) until the fleet declares it
 * dead, then resumes it; with {@code --restart-db} it restarts PostgreSQL under the working nodes. At the end it
 * checks what the database and the nodes' event logs say, prints it, and exits 1 if anything was lost or recorded
 * twice.
 */
public final class FleetDemo {

    static final int MODELS = 5;
    static final int SLOTS = 3;
    private static final long DEADLINE_SECONDS = 240;

    private final FleetOptions options;
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    FleetDemo(FleetOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        FleetOptions options;
        try {
            options = FleetOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fleet example: " + e.getMessage());
            System.err.println(FleetOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(FleetOptions.USAGE);
            return;
        }
        System.exit(new FleetDemo(options).run());
    }

    int run() throws Exception {
        say("fleet: one queue on PostgreSQL, three nodes. Each node is the demo on embedded Felix in a JVM of its own,"
                + " with one simulated model server (slot gpu: room for one model, a load takes 1.5 s, an item 0.2 s, at"
                + " speed " + options.speed() + "x). node-1 enqueues fifteen jobs of five models, interleaved; node-2"
                + " is killed (kill -9) while it holds work." + (options.freeze() ? " node-3 is frozen (SIGSTOP) until"
                + " the fleet declares it dead, then resumed." : "") + (options.restartDb() ? " PostgreSQL restarts"
                + " mid-run." : ""));
        Path work = options.work() != null ? Files.createDirectories(options.work())
                : Files.createTempDirectory("ai-batch-fleet-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long started = System.nanoTime();
        EmbeddedPostgres database = startDatabase(work, port);
        say(String.format("  PostgreSQL %s started on 127.0.0.1:%d in %.1f s (data in %s)", version(database),
                port, seconds(started), work.resolve("pg")));
        String url = database.getJdbcUrl("postgres", "postgres");
        FleetCheck check = new FleetCheck(url);
        Map<String, NodeProcess> nodes = new LinkedHashMap<>();
        try {
            for (String id : List.of("node-2", "node-3", "node-1")) { // node-1 enqueues once the others are up
                NodeProcess node = new NodeProcess(id, command(url, id, work), work.resolve(id + ".log"));
                if (!node.awaitJoined(90)) {
                    problems.add(id + " did not join within 90 s; its output: " + node.output());
                    return finish(database, nodes, check, work);
                }
                nodes.put(id, node);
                say("  " + id + " joined" + (node.dashboard() != null ? " (dashboard " + node.dashboard() + ")" : ""));
            }
            database = new Disturbances(options, check, nodes, this::say, work, port, report).drive(database,
                    TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS), problems);
            return finish(database, nodes, check, work);
        } finally {
            for (NodeProcess node : nodes.values()) {
                if (node.alive()) {
                    node.stop(30);
                }
            }
            database.close();
            if (options.work() == null) {
                deleteTree(work.resolve("pg")); // the logs stay; the database's files go
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private List<String> command(String url, String id, Path work) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", options.demoJar().toString(), "--fleet", url, "--node-id", id, "--speed",
                Double.toString(options.speed()), "--failure-rate", "0", "--fleet-log", work.resolve(id + ".events").toString()));
        if (id.equals("node-1")) {
            command.add("--fleet-enqueue");
            if (!options.web()) {
                command.add("--no-web");
            }
        } else {
            command.add("--no-web");
        }
        return command;
    }

    static EmbeddedPostgres startDatabase(Path work, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg")).setCleanDataDirectory(false)
                .setPort(port).start();
    }

    private static String version(EmbeddedPostgres database) {
        try (var c = database.getPostgresDatabase().getConnection()) {
            return c.getMetaData().getDatabaseProductVersion();
        } catch (Exception e) {
            return "";
        }
    }

    private int finish(EmbeddedPostgres database, Map<String, NodeProcess> nodes, FleetCheck check, Path work)
            throws Exception {
        if (problems.isEmpty()) {
            summarize(nodes, check, work);
        }
        for (NodeProcess node : nodes.values()) {
            if (node.alive() && !node.stop(30)) {
                problems.add(node.id + " did not stop within 30 s after its standard input closed");
            }
        }
        report.put("problems", problems);
        if (options.report() != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.report().toFile(), report);
        }
        problems.forEach(p -> say("PROBLEM: " + p));
        return problems.isEmpty() ? 0 : 1;
    }

    private void summarize(Map<String, NodeProcess> nodes, FleetCheck check, Path work) throws Exception {
        Map<String, Long> bySlot = check.itemsBySlot();
        say("");
        say("Per node: items it recorded, model loads (counted by its simulated server), models it ran");
        int loads = 0;
        Map<String, Object> perNode = new LinkedHashMap<>();
        for (String id : List.of("node-1", "node-2", "node-3")) {
            NodeProcess node = nodes.get(id);
            long items = bySlot.getOrDefault(id + "/gpu", 0L);
            loads += node.loads();
            perNode.put(id, Map.of("items", items, "loads", node.loads(), "alive", node.alive()));
            say(String.format("  %-6s %3d items  %d loads  %s%s", id, items, node.loads(), node.models(),
                    node.alive() ? "" : "  (killed)"));
        }
        Map<String, Long> progress = check.progressPerItem();
        long total = check.totalItems();
        long twice = progress.values().stream().filter(n -> n > 1).count();
        long repeated = check.repeatedLeases();
        Map<String, Long> requeued = check.requeued();
        report.put("nodes", perNode);
        report.put("items", total);
        report.put("itemsRecorded", progress.size());
        report.put("itemsRecordedTwice", twice);
        report.put("repeatedRuns", repeated);
        report.put("loads", loads);
        report.put("requeued", requeued);
        if (progress.size() != total || twice > 0) {
            problems.add(progress.size() + " of " + total + " items recorded, " + twice + " of them more than once");
        }
        long bound = ((Number) report.getOrDefault("inFlightKilled", 0L)).longValue()
                + ((Number) report.getOrDefault("inFlightFrozen", 0L)).longValue();
        if (repeated > bound) {
            problems.add(repeated + " items ran twice, more than the " + bound + " the disturbed nodes held");
        }
        for (String id : List.of("node-1", "node-3")) {
            problems.addAll(check.eventLog(id, work.resolve(id + ".events")));
        }
        dashboard(nodes.get("node-1"));
        say("");
        say(String.format("Every item recorded exactly once: %s (%d of %d). Items run again elsewhere: %d (the"
                + " disturbed nodes held %d). Requeued: %s.", twice == 0 && progress.size() == total ? "yes" : "NO",
                progress.size(), total, repeated, bound, requeued.isEmpty() ? "none" : requeued));
        say(String.format("Model loads: %d in all, counted by the servers (%d models, %d slots: at most %d); one"
                + " server in enqueue order would load 15 times.", loads, MODELS, SLOTS, MODELS + SLOTS));
        say("node-1 and node-3 each saw every event of the fleet once and in order (their logs: " + work + ").");
    }

    /** The stable node's dashboard lists every job, items done on the other nodes included. */
    private void dashboard(NodeProcess node) throws IOException, InterruptedException {
        if (node.dashboard() == null) {
            return;
        }
        JsonNode jobs = get(node, "/api/jobs");
        JsonNode list = jobs.isArray() ? jobs : jobs.path("jobs");
        int completed = 0;
        for (JsonNode job : list) {
            completed += "completed".equals(job.path("status").asText()) ? 1 : 0;
        }
        report.put("dashboardCompletedJobs", completed);
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode fleetNode : get(node, "/api/plan").path("nodes")) {
            states.put(fleetNode.path("node").asText(), fleetNode.path("state").asText());
        }
        report.put("dashboardNodes", states);
        say("node-1's dashboard (" + node.dashboard() + ") lists " + completed + " completed jobs, the other nodes'"
                + " work included, and the fleet's nodes: " + states + ".");
    }

    private static JsonNode get(NodeProcess node, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(node.dashboard().replaceAll("/?$", "") + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }

    void say(String text) {
        System.out.println(text);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

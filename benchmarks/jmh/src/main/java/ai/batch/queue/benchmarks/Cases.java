package ai.batch.queue.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.openjdk.jmh.infra.BenchmarkParams;

import ai.batch.queue.benchmarks.core.CoreEnqueueBenchmark;
import ai.batch.queue.benchmarks.core.CoreScalingBenchmark;
import ai.batch.queue.benchmarks.core.LanesBenchmark;
import ai.batch.queue.benchmarks.core.MicroBatchBenchmark;
import ai.batch.queue.benchmarks.core.SlotsBenchmark;
import ai.batch.queue.benchmarks.dashboard.DashboardLoadBenchmark;
import ai.batch.queue.benchmarks.dashboard.Viewer;
import ai.batch.queue.benchmarks.felix.EventAdminBenchmark;
import ai.batch.queue.benchmarks.felix.QueueEndToEndBenchmark;
import ai.batch.queue.benchmarks.felix.SingleItemJobsBenchmark;
import ai.batch.queue.benchmarks.jobrunr.JobRunrBenchmark;
import ai.batch.queue.benchmarks.raw.RawLoopBenchmark;
import ai.batch.queue.benchmarks.report.MarkdownReport;
import ai.batch.queue.benchmarks.report.Row;

/** The JMH runs behind the table, in table order, with the key and label of each resulting row. */
final class Cases {

    /**
     * One JMH run: one benchmark method with a set of parameter values (every combination is one trial, i.e.
     * one forked JVM, and one row).
     *
     * @param letter the case letter
     * @param benchmark the benchmark class
     * @param method the benchmark method
     * @param params parameter values, overriding the {@code @Param} defaults
     * @param unit the unit of the rows
     * @param countParam the parameter holding the items (jobs, events) per operation: the operations-per-second
     *        score is multiplied by it; {@code null} for scores that are already per operation
     * @param describe the row key and label of one trial, from its parameters
     * @param forks JMH forks (JVMs) per trial; the row is their combined score
     */
    record Run(String letter, Class<?> benchmark, String method, Map<String, String[]> params, Row.Unit unit,
            String countParam, Function<BenchmarkParams, String[]> describe, int forks) {

        Run(String letter, Class<?> benchmark, String method, Map<String, String[]> params, Row.Unit unit,
                String countParam, Function<BenchmarkParams, String[]> describe) {
            this(letter, benchmark, method, params, unit, countParam, describe, 1);
        }

        /** @return the JMH include pattern of the method */
        String include() {
            return "^" + benchmark.getName().replace(".", "\\.") + "\\." + method + "$";
        }

        /** @return how many trials (rows) the run must produce */
        int trials() {
            return params.values().stream().mapToInt(values -> values.length).reduce(1, (a, b) -> a * b);
        }
    }

    /** Case (j)'s viewers, in table order, with their labels. */
    private static final Map<String, String> VIEWERS = Map.of(
            "off", "no dashboard installed",
            "none", "dashboard running, nobody watching",
            "stream", "dashboard + 1 client reading its event stream",
            "stalled", "dashboard + 1 client that stopped reading its stream",
            "browser", "dashboard open in headless Chromium");

    private Cases() {
    }

    /**
     * @param settings the mode
     * @return every run, in table order
     */
    static List<Run> all(Settings settings) {
        String n = Integer.toString(settings.itemsPerOperation());
        String items = MarkdownReport.size(settings.itemsPerOperation());
        List<Run> runs = new ArrayList<>();
        runs.add(new Run("a", RawLoopBenchmark.class, "loop", params("items", n), Row.Unit.ITEMS_PER_S, "items",
                p -> new String[] {"a", "(a) raw loop: no-op handler + HashMap status, " + items + " items/op"}));
        runs.add(new Run("b", QueueEndToEndBenchmark.class, "enqueueAndRunOneJob",
                params("items", n, "events", "true", "eventAdminTimeout", "0,5000", "journal", "false"),
                Row.Unit.ITEMS_PER_S, "items", p -> new String[] {
                    "b:job:events=on:T=" + p.getParam("eventAdminTimeout"),
                    "(b) Felix, 1 job × " + items + " items, events on, EventAdmin Timeout="
                            + p.getParam("eventAdminTimeout")}));
        runs.add(new Run("b", QueueEndToEndBenchmark.class, "enqueueAndRunOneJob",
                params("items", n, "events", "false", "eventAdminTimeout", "0", "journal", "false"),
                Row.Unit.ITEMS_PER_S, "items", p -> new String[] {"b:job:events=off:T=0",
                    "(b) Felix, 1 job × " + items + " items, events off"}));
        String single = MarkdownReport.size(settings.singleItemJobs());
        runs.add(new Run("b", SingleItemJobsBenchmark.class, "enqueueAndRunSingleItemJobs",
                params("jobs", Integer.toString(settings.singleItemJobs()), "eventAdminTimeout", "0,5000"),
                Row.Unit.JOBS_PER_S, "jobs", p -> new String[] {"b:single:T=" + p.getParam("eventAdminTimeout"),
                    "(b) Felix, " + single + " single-item jobs, events on, EventAdmin Timeout="
                            + p.getParam("eventAdminTimeout")}));
        String journalItems = MarkdownReport.size(settings.journalItems());
        runs.add(new Run("c", QueueEndToEndBenchmark.class, "enqueueAndRunOneJob",
                params("items", Integer.toString(settings.journalItems()), "events", "true", "eventAdminTimeout", "0",
                        "journal", "true"),
                Row.Unit.ITEMS_PER_S, "items", p -> new String[] {"c", "(c) Felix, 1 job × " + journalItems
                        + " items, journal on (fsync), events on, EventAdmin Timeout=0"}));
        String jobRunrJobs = MarkdownReport.size(settings.jobRunrJobs());
        runs.add(new Run("d", JobRunrBenchmark.class, "enqueueAndRunJobs",
                params("jobs", Integer.toString(settings.jobRunrJobs())), Row.Unit.JOBS_PER_S, "jobs",
                p -> new String[] {"d", "(d) JobRunr " + version("jobrunr") + ", in-memory, 1 worker, poll "
                        + "200 ms, " + jobRunrJobs + " no-op jobs/op"}));
        runs.add(new Run("e", EventAdminBenchmark.class, "deliverEvents",
                params("events", n, "eventAdminTimeout", "0,5000", "delivery", "post,send"), Row.Unit.EVENTS_PER_S,
                "events", p -> new String[] {
                    "e:" + p.getParam("delivery") + ":T=" + p.getParam("eventAdminTimeout"),
                    "(e) EventAdmin " + p.getParam("delivery") + "Event alone, Timeout="
                            + p.getParam("eventAdminTimeout") + ", 1 subscriber"}));
        runs.add(new Run("f", CoreEnqueueBenchmark.class, "enqueueOneJob",
                params("items", Integer.toString(settings.enqueueItems())), Row.Unit.ITEMS_PER_S, "items",
                p -> new String[] {"f:enqueue", "(f) CoreBatchQueue: enqueue one "
                        + MarkdownReport.size(settings.enqueueItems()) + "-item job"}));
        String sizes = String.join(",", settings.scalingSizes().stream().map(String::valueOf).toList());
        for (String operation : List.of("getJob", "listJobs", "updateItem")) {
            runs.add(new Run("f", CoreScalingBenchmark.class, operation, params("otherItems", sizes, "otherJobSize",
                    "1000"),
                    Row.Unit.NS_PER_OP, null, p -> new String[] {"f:" + operation + ":" + p.getParam("otherItems"),
                        "(f) CoreBatchQueue: " + operation + ", queue holds "
                                + MarkdownReport.size(Long.parseLong(p.getParam("otherItems"))) + " items"}));
        }
        int largest = settings.scalingSizes().get(settings.scalingSizes().size() - 1);
        runs.add(new Run("f", CoreScalingBenchmark.class, "listJobs", params("otherItems", Integer.toString(largest),
                "otherJobSize", Integer.toString(largest / 10)), Row.Unit.NS_PER_OP, null,
                p -> new String[] {"f:listJobs-10-jobs", "(f) CoreBatchQueue: listJobs, queue holds "
                        + MarkdownReport.size(largest) + " items in 10 jobs"}));
        runs.add(new Run("h", LanesBenchmark.class, "runOneJob", params("items", "400", "lanes", "1,2,4,8", "kind",
                "remote,cpu"), Row.Unit.ITEMS_PER_S, "items", p -> new String[] {
                    "h:" + p.getParam("kind") + ":" + p.getParam("lanes"),
                    "(h) executor, handler with ai.batch.concurrency=" + p.getParam("lanes") + ", "
                            + ("remote".equals(p.getParam("kind")) ? "waits 1 ms per item (remote model)"
                                    : "computes ~70 µs per item (CPU model)")}));
        runs.add(new Run("i", MicroBatchBenchmark.class, "runOneJob", params("items", "512", "batchSize", "1,8,32"),
                Row.Unit.ITEMS_PER_S, "items", p -> new String[] {"i:" + p.getParam("batchSize"),
                    "(i) executor, handler with ai.batch.batchSize=" + p.getParam("batchSize")
                            + ", each call busy 200 µs + 20 µs per item"}));
        for (String viewer : dashboardViewers()) {
            runs.add(new Run("j", DashboardLoadBenchmark.class, "enqueueAndRunOneJob",
                    params("items", n, "viewer", viewer), Row.Unit.ITEMS_PER_S, "items",
                    p -> new String[] {"j:viewer=" + viewer, "(j) Felix, 1 job × " + items + " items, events on, "
                            + VIEWERS.get(viewer)}, settings.dashboardForks()));
        }
        runs.add(new Run("k", SlotsBenchmark.class, "runOneJob", params("items", n, "slots", "0,1,3"),
                Row.Unit.ITEMS_PER_S, "items", p -> new String[] {"k:" + p.getParam("slots"),
                    "(k) executor, no-op handler, 1 job × " + items + " items, " + ("0".equals(p.getParam("slots"))
                            ? "one plain handler" : p.getParam("slots") + " slot(s) sharing it")}));
        return runs;
    }

    /**
     * @return case (j)'s viewers: the browser only where Chromium and its driver are installed, or under CI (where
     *         their absence must fail the run)
     */
    static List<String> dashboardViewers() {
        List<String> viewers = new ArrayList<>(List.of("off", "none", "stream", "stalled"));
        if (browserRowRuns()) {
            viewers.add("browser");
        }
        return viewers;
    }

    /** @return whether case (j) includes the browser row */
    static boolean browserRowRuns() {
        return Viewer.browserAvailable() || "true".equals(System.getenv("CI"));
    }

    /** Pairs of name and comma-separated values. */
    private static Map<String, String[]> params(String... nameValues) {
        Map<String, String[]> params = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.put(nameValues[i], nameValues[i + 1].split(","));
        }
        return params;
    }

    /**
     * @param name {@code jmh} or {@code jobrunr}
     * @return the version the benchmarks were built with
     */
    static String version(String name) {
        Properties versions = new Properties();
        try (InputStream in = Cases.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            // the version is only shown in labels
        }
        return versions.getProperty(name, "?");
    }
}

package ai.batch.queue.benchmarks;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import ai.batch.queue.benchmarks.dashboard.DashboardMemoryProbe;
import ai.batch.queue.benchmarks.felix.BundleDirectory;
import ai.batch.queue.benchmarks.memory.MemoryCase;
import ai.batch.queue.benchmarks.report.MachineFacts;
import ai.batch.queue.benchmarks.report.MarkdownReport;
import ai.batch.queue.benchmarks.report.Row;

/**
 * The benchmark runner, the jar's main class: runs every case through the JMH {@link Runner} API (one forked JVM
 * per trial), measures memory per item in a JVM of its own, and prints one Markdown table, also written to
 * {@code benchmark-report.md} beside the jar. Exits 1 if any case failed or gave no usable number, 2 on bad
 * arguments.
 *
 * <pre>
 * java -jar benchmarks.jar [--short] [--only=abcdefghijk] [--verbose]
 * </pre>
 */
public final class BenchmarkMain {

    private static final String FORK_HEAP = "-Xmx3g";
    private static final String ALL_CASES = "abcdefghijk";

    private final Settings settings;
    private final Set<Character> only;
    private final boolean verbose;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    private BenchmarkMain(Settings settings, Set<Character> only, boolean verbose) {
        this.settings = settings;
        this.only = only;
        this.verbose = verbose;
    }

    /**
     * @param args {@code --short}, {@code --only=letters}, {@code --verbose}, {@code --help}
     */
    public static void main(String[] args) {
        Settings settings = Settings.FULL;
        Set<Character> only = new LinkedHashSet<>();
        boolean verbose = false;
        for (String arg : args) {
            if (arg.equals("--short")) {
                settings = Settings.SHORT;
            } else if (arg.equals("--full")) {
                settings = Settings.FULL;
            } else if (arg.equals("--verbose")) {
                verbose = true;
            } else if (arg.startsWith("--only=") && arg.length() > "--only=".length()
                    && arg.substring(7).chars().allMatch(c -> ALL_CASES.indexOf(c) >= 0)) {
                arg.substring(7).chars().forEach(c -> only.add((char) c));
            } else {
                System.err.println(arg.equals("--help") || arg.equals("-h") ? "" : "Unknown argument: " + arg);
                System.err.println("Usage: java -jar benchmarks.jar [--short] [--only=" + ALL_CASES + "] [--verbose]");
                System.err.println("  --short    tiny warmup and measurement (about 4 minutes; for CI)");
                System.err.println("  --only=ab  run only these cases (letters a to k)");
                System.err.println("  --verbose  show JMH's own output");
                System.exit(arg.equals("--help") || arg.equals("-h") ? 0 : 2);
            }
        }
        if (only.isEmpty()) {
            ALL_CASES.chars().forEach(c -> only.add((char) c));
        }
        System.exit(new BenchmarkMain(settings, only, verbose).run());
    }

    private int run() {
        Instant start = Instant.now();
        String bundlesDir = locateBundles();
        List<Cases.Run> runs = Cases.all(settings).stream().filter(r -> only.contains(r.letter().charAt(0))).toList();
        int index = 0;
        for (Cases.Run run : runs) {
            index++;
            progress("[" + index + "/" + runs.size() + "] (" + run.letter() + ") " + run.benchmark().getSimpleName()
                    + "." + run.method() + " " + describe(run.params()));
            runJmh(run, bundlesDir);
        }
        if (only.contains('g')) {
            progress("(g) memory per item, " + MarkdownReport.size(settings.memoryItems()) + " items, own JVM");
            measureMemory();
        }
        if (only.contains('j')) {
            progress("(j) dashboard memory per stalled client, " + settings.dashboardClients() + " clients, own JVM");
            measureDashboardMemory(bundlesDir);
        }
        Duration took = Duration.between(start, Instant.now()).truncatedTo(ChronoUnit.SECONDS);
        List<String> header = new ArrayList<>();
        header.add("- " + settings.describe() + "; JMH " + Cases.version("jmh") + "; whole run took "
                + took.toString().substring(2).toLowerCase());
        header.addAll(MachineFacts.describe(FORK_HEAP + " in each JMH fork, " + MemoryCase.HEAP
                + " in the memory probe"));
        header.add("- date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        if (only.contains('j') && !Cases.browserRowRuns()) {
            header.add("- (j) has no browser row: /usr/bin/chromium or /usr/bin/chromedriver is missing");
        }
        String report = MarkdownReport.render("ai-batch-queue benchmarks", header, rows, failures,
                settings.dashboardForks() < 2);
        System.out.println();
        System.out.println(report);
        writeReport(report);
        return failures.isEmpty() ? 0 : 1;
    }

    private String locateBundles() {
        if (!only.contains('b') && !only.contains('c') && !only.contains('e') && !only.contains('j')) {
            return null;
        }
        try {
            return BundleDirectory.locate().path().toString();
        } catch (IllegalStateException e) {
            failures.add("Felix cases: " + e.getMessage());
            return null;
        }
    }

    private void runJmh(Cases.Run run, String bundlesDir) {
        if (bundlesDir == null && List.of("b", "c", "e", "j").contains(run.letter())) {
            failures.add("(" + run.letter() + ") " + run.method() + ": not run, no bundle directory");
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(run.include())
                .forks(run.forks())
                .threads(1)
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.warmupMillis()))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(TimeValue.milliseconds(settings.measurementMillis()))
                .timeout(TimeValue.minutes(5))
                .shouldDoGC(true) // between iterations: garbage of the setup (1M items) does not land in them
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT)
                .jvmArgsAppend(FORK_HEAP, "-D" + BundleDirectory.PROPERTY + "=" + bundlesDir);
        for (Map.Entry<String, String[]> param : run.params().entrySet()) {
            options.param(param.getKey(), param.getValue());
        }
        Collection<RunResult> results;
        try {
            results = new Runner(options.build()).run();
        } catch (RunnerException | RuntimeException e) {
            failures.add("(" + run.letter() + ") " + run.benchmark().getSimpleName() + "." + run.method() + " "
                    + describe(run.params()) + ": " + causes(e));
            progress("    FAILED: " + causes(e));
            return;
        }
        if (results.size() != run.trials()) {
            failures.add("(" + run.letter() + ") " + run.method() + ": " + results.size() + " of " + run.trials()
                    + " trials gave a result");
        }
        for (RunResult result : results) {
            Row row = toRow(run, result);
            rows.add(row);
            progress("    " + row.label() + ": " + String.format("%,.1f %s", row.score(), row.unit().text()));
            if (!row.valid()) {
                failures.add(row.label() + ": no usable score (" + row.score() + ")");
            }
        }
    }

    private static Row toRow(Cases.Run run, RunResult result) {
        Result<?> primary = result.getPrimaryResult();
        double factor = run.countParam() == null ? 1
                : Double.parseDouble(result.getParams().getParam(run.countParam()));
        String[] keyAndLabel = run.describe().apply(result.getParams());
        return new Row(run.letter(), keyAndLabel[0], keyAndLabel[1], run.unit(), primary.getScore() * factor,
                primary.getScoreError() * factor);
    }

    private void measureMemory() {
        try {
            Map<String, Double> memory = MemoryCase.measure(settings.memoryItems(), 10);
            String items = MarkdownReport.size(settings.memoryItems());
            addMemoryRow(memory, "queueIncludingIds", "(g) memory per queued item, " + items
                    + " items in 10 jobs, including the id Strings");
            addMemoryRow(memory, "queueExcludingIds", "(g) memory per queued item, excluding the id Strings");
            addMemoryRow(memory, "idStrings", "(g) the id Strings alone (and their array)");
            addMemoryRow(memory, "callerJobs", "(g) the caller's BatchJob/BatchItem objects before enqueue");
        } catch (RuntimeException e) {
            failures.add("(g) memory: " + causes(e));
        }
    }

    private void measureDashboardMemory(String bundlesDir) {
        if (bundlesDir == null) {
            failures.add("(j) dashboard memory: not run, no bundle directory");
            return;
        }
        try {
            Map<String, Double> memory = MemoryCase.run(DashboardMemoryProbe.class,
                    List.of("-D" + BundleDirectory.PROPERTY + "=" + bundlesDir),
                    Integer.toString(settings.dashboardClients()), Integer.toString(settings.itemsPerOperation()),
                    Integer.toString(settings.dashboardJobs()));
            String items = MarkdownReport.size(settings.itemsPerOperation());
            String clients = settings.dashboardClients() + " stalled clients";
            addMemoryRow(memory, "heapPerClientLargest", "j", Row.Unit.BYTES_PER_CLIENT,
                    "(j) dashboard heap per stalled client, largest of " + settings.dashboardJobs()
                            + " readings, one after each job × " + items + " items",
                    "heap after System.gc(), " + clients);
            addMemoryRow(memory, "heapPerClientAfterLastJob", "j", Row.Unit.BYTES_PER_CLIENT,
                    "(j) dashboard heap per stalled client, after the last job", clients + "; direct buffers: "
                            + String.format(Locale.ROOT, "%,.0f", memory.getOrDefault("directPerClientAfterLastJob",
                                    Double.NaN)) + " bytes/client");
        } catch (RuntimeException e) {
            failures.add("(j) dashboard memory: " + causes(e));
        }
    }

    private void addMemoryRow(Map<String, Double> memory, String key, String label) {
        addMemoryRow(memory, key, "g", Row.Unit.BYTES_PER_ITEM, label,
                key.startsWith("queue") ? "heap after System.gc(), MemoryMXBean, serial GC" : "");
    }

    private void addMemoryRow(Map<String, Double> memory, String key, String letter, Row.Unit unit, String label,
            String note) {
        Double value = memory.get(key);
        if (value == null) {
            failures.add("(" + letter + ") memory: the probe did not report " + key);
            return;
        }
        Row row = new Row(letter, letter + ":" + key, label, unit, value, Double.NaN, note);
        rows.add(row);
        progress("    " + label + ": " + String.format(Locale.ROOT, "%.1f %s", value, unit.text()));
        if (!row.valid()) {
            failures.add(label + ": no usable value (" + value + ")");
        }
    }

    private void writeReport(String report) {
        Path file = reportFile();
        try {
            Files.writeString(file, report, StandardCharsets.UTF_8);
            progress("Report written to " + file);
        } catch (IOException e) {
            progress("Cannot write " + file + ": " + e);
        }
    }

    /** {@code -Dreport.file=…}, else {@code benchmark-report.md} beside the jar. */
    private static Path reportFile() {
        String configured = System.getProperty("report.file");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        try {
            Path jar = Paths.get(BenchmarkMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().resolve("benchmark-report.md");
        } catch (URISyntaxException | RuntimeException e) {
            return Paths.get("benchmark-report.md");
        }
    }

    private static String describe(Map<String, String[]> params) {
        StringBuilder text = new StringBuilder();
        params.forEach((name, values) -> text.append(text.length() == 0 ? "" : " ").append(name).append('=')
                .append(String.join(",", values)));
        return text.toString();
    }

    /** The chain of causes, including the exceptions JMH attaches as suppressed to its BenchmarkException. */
    private static String causes(Throwable error) {
        StringBuilder text = new StringBuilder();
        appendCauses(error, text, 0);
        return text.toString();
    }

    private static void appendCauses(Throwable error, StringBuilder text, int depth) {
        for (Throwable t = error; t != null && text.length() < 2_000 && depth < 5; t = t.getCause()) {
            text.append(text.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ")
                    .append(t.getMessage());
            for (Throwable suppressed : t.getSuppressed()) {
                appendCauses(suppressed, text, depth + 1);
            }
            if (t.getCause() == t) {
                break;
            }
        }
    }

    private static void progress(String line) {
        System.err.println(line);
    }
}

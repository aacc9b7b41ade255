package ai.batch.queue.sim;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.batch.queue.sim.policy.Policy;
import ai.batch.queue.sim.report.MarkdownReport;
import ai.batch.queue.sim.residency.ResidencyReport;
import ai.batch.queue.sim.run.RunResult;
import ai.batch.queue.sim.run.Simulation;
import ai.batch.queue.sim.slots.SlotReport;
import ai.batch.queue.sim.trace.Trace;
import ai.batch.queue.sim.trace.TraceGenerator;
import ai.batch.queue.sim.trace.TraceParser;

/** Runs every policy over the traces and prints the Markdown report. */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.print(Options.USAGE);
            return;
        }
        try {
            long began = System.nanoTime();
            Options options = Options.parse(args);
            String report = report(options);
            // The report is UTF-8 Markdown (±, ≤, –) whatever the platform's default charset.
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            out.print(report);
            out.flush();
            if (options.out() != null) {
                Files.writeString(options.out(), report, StandardCharsets.UTF_8);
            }
            System.err.printf(Locale.ROOT, "simulated in %.1f s%n", (System.nanoTime() - began) / 1e9);
        } catch (IllegalArgumentException | IOException | java.io.UncheckedIOException e) {
            System.err.println("simulator: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
        }
    }

    /** @return the whole report for those options */
    public static String report(Options options) {
        List<Trace> traces = options.trace() != null ? List.of(new TraceParser(options.seed()).parse(options.trace()))
                : generator(options).all();
        if (options.residency()) {
            return ResidencyReport.of(traces, options);
        }
        if (options.slots()) {
            return SlotReport.of(traces, options);
        }
        List<Policy> policies = Policy.standard(options.maxWait());
        MarkdownReport report = new MarkdownReport().header(parameters(options, policies));
        for (Trace trace : traces) {
            report.trace(trace, runAll(trace, policies, options), options.maxWait().toMillis());
        }
        return report.toString();
    }

    /** @return each policy's result on the trace, in the order of {@code policies} */
    public static List<RunResult> runAll(Trace trace, List<Policy> policies, Options options) {
        List<RunResult> results = new ArrayList<>(policies.size());
        for (Policy policy : policies) {
            results.add(new Simulation(trace, policy, options.maxWait(), options.seed()).run());
        }
        return results;
    }

    public static TraceGenerator generator(Options options) {
        return new TraceGenerator(new TraceGenerator.Settings(options.seed(), options.noise(), options.maxWait(),
                options.quick()));
    }

    /** @return how the traces were made, for a report's parameters line */
    public static String source(Options options) {
        return options.trace() != null ? "trace file " + options.trace().getFileName()
                : (options.quick() ? "generated traces, quick mode" : "generated traces, full mode")
                        + String.format(Locale.ROOT, ", item-time noise ±%.0f%% (uniform)", options.noise() * 100);
    }

    private static String parameters(Options options, List<Policy> policies) {
        return "Parameters: seed " + options.seed() + "; " + source(options) + "; maxWait of ours "
                + options.maxWait().toSeconds() + " s; one GPU running one item at a time; failed items retried"
                + " with `retryFailed` as soon as their job ends, up to the trace's retry rounds. Policies: "
                + String.join(", ", policies.stream().map(Policy::name).toList()) + ". Times in simulated"
                + " seconds.";
    }
}

package ai.batch.queue.sim;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.batch.queue.sim.policy.Policy;
import ai.batch.queue.sim.run.RunResult;
import ai.batch.queue.sim.trace.Trace;

/** The generated traces of the report, run once per mode and shared by the tests. */
final class GeneratedRuns {

    static final List<String> TRACES = List.of("readme", "bursty", "steady", "zipf", "retry");

    record Key(boolean quick, String trace) {
    }

    private static final Map<Key, List<RunResult>> RESULTS = new ConcurrentHashMap<>();

    private GeneratedRuns() {
    }

    static Options options(boolean quick) {
        return quick ? Options.parse("--quick") : Options.parse();
    }

    /** @return the four policies' results, in the report's order */
    static List<RunResult> results(boolean quick, String traceName) {
        return RESULTS.computeIfAbsent(new Key(quick, traceName), key -> {
            Options options = options(quick);
            Trace trace = SimulatorMain.generator(options).all().stream()
                    .filter(candidate -> candidate.name().equals(traceName)).findFirst().orElseThrow();
            return SimulatorMain.runAll(trace, Policy.standard(options.maxWait()), options);
        });
    }

    static RunResult ours(boolean quick, String traceName) {
        return results(quick, traceName).stream().filter(result -> result.policy().isOurs()).findFirst()
                .orElseThrow();
    }

    static RunResult policy(boolean quick, String traceName, String policyName) {
        return results(quick, traceName).stream().filter(result -> result.policy().name().startsWith(policyName))
                .findFirst().orElseThrow();
    }
}

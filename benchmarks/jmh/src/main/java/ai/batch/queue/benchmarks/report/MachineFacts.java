package ai.batch.queue.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/** What the numbers depend on besides the code: the machine and the JVM. */
public final class MachineFacts {

    private MachineFacts() {
    }

    /**
     * @param heaps the heap options of the JVMs that measure, in words
     * @return one line per fact, Markdown list items
     */
    public static List<String> describe(String heaps) {
        Runtime runtime = Runtime.getRuntime();
        List<String> facts = new ArrayList<>();
        facts.add("- cores: " + runtime.availableProcessors());
        facts.add("- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " / "
                + System.getProperty("os.arch"));
        facts.add("- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        facts.add("- heap max: " + heaps + "; " + runtime.maxMemory() / (1024 * 1024) + " MB in the runner");
        return facts;
    }
}

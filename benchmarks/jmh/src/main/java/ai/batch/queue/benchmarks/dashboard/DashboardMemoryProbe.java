package ai.batch.queue.benchmarks.dashboard;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import ai.batch.queue.BatchJob;
import ai.batch.queue.benchmarks.felix.FelixQueue;
import ai.batch.queue.benchmarks.memory.MemoryProbe;
import ai.batch.queue.benchmarks.support.Workload;

/**
 * Case (j), memory: what the dashboard keeps per connected browser, measured in a JVM of its own (started by
 * {@code MemoryCase} with a fixed heap and the serial collector). The worst case is a browser that stopped
 * reading ({@link StalledViewer}): its events pile up on the server unless the dashboard bounds them.
 *
 * <p>Steps: the queue and the dashboard in an embedded Felix; {@code jobs} jobs of {@code items} items run (each
 * until the dashboard has taken in its last item, so that nothing is in flight when the heap is read) with
 * nobody watching (the dashboard's replay buffer and history fill up to their bounds, the code paths load); the
 * settled heap is the baseline. Then {@code clients} stalled viewers connect and {@code jobs} more jobs run, the
 * heap read after each. Finished jobs are purged after every job. The growth over the baseline, divided by the
 * clients, is the memory per stalled client (it also counts the viewers' own sockets, and the event texts the
 * dashboard built for them); it must not grow with the items that went by. Prints the largest reading and the last
 * one as {@code key=value} lines, in bytes per client.
 */
public final class DashboardMemoryProbe {

    private DashboardMemoryProbe() {
    }

    /**
     * @param args stalled clients (default 20), items per job (default 10,000), jobs (default 5)
     */
    public static void main(String[] args) {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int jobs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (FelixQueue felix = FelixQueue.start(0, true, false, true)) {
            URI page = felix.dashboardUri();
            DashboardPage.await(page);
            Runner runner = new Runner(felix, items);
            runner.run(jobs);
            long baseline = MemoryProbe.settledUsedHeap();
            long baselineDirect = directMemory();

            List<Viewer> viewers = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    viewers.add(StalledViewer.open(page));
                }
                long largest = Long.MIN_VALUE;
                long last = 0;
                for (int job = 0; job < jobs; job++) {
                    runner.run(1);
                    last = MemoryProbe.settledUsedHeap() - baseline;
                    largest = Math.max(largest, last);
                }
                long direct = directMemory() - baselineDirect;
                viewers.forEach(viewer -> viewer.requireLive(0));

                System.out.println("clients=" + clients);
                System.out.println("itemsPerJob=" + items);
                System.out.println("jobs=" + jobs);
                System.out.println("heapPerClientLargest=" + largest / (double) clients);
                System.out.println("heapPerClientAfterLastJob=" + last / (double) clients);
                System.out.println("directPerClientAfterLastJob=" + direct / (double) clients);
            } finally {
                viewers.forEach(Viewer::close);
            }
        }
    }

    private static long directMemory() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    /** Runs jobs one after the other, each to its last event, purging the finished ones. */
    private static final class Runner {
        private final FelixQueue felix;
        private final int items;
        private int next;

        Runner(FelixQueue felix, int items) {
            this.felix = felix;
            this.items = items;
        }

        /** Each job runs to its last event and until the dashboard took that in, then it is purged. */
        void run(int jobs) {
            for (int i = 0; i < jobs; i++) {
                BatchJob<Workload.Payload> job = Workload.job(items).withId("memory" + (++next) + "-");
                felix.runAndAwaitEvents(job, items);
                DashboardPage.awaitItemSeen(felix.dashboardUri(), job.id(), job.items().get(items - 1).id());
                felix.purgeFinished();
            }
        }
    }
}

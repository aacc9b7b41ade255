package ai.batch.queue.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FleetNodeTest {

    private static final List<String> MODELS = List.of("llava:13b", "moondream", "bakllava", "qwen2-vl", "minicpm-v");

    private final StoreFixture fleet = new StoreFixture();
    private final List<FleetNode> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(FleetNode::halt);
    }

    private FleetNode node(String id, List<FleetEvent> seen) throws Exception {
        FleetSettings settings = FleetSettings.defaults(id).withTimes(Duration.ofMillis(100), Duration.ofMillis(800));
        FleetNode node = new FleetNode(fleet.db, settings, 1, 100, seen::add, new FleetNode.Reports() {
            @Override
            public void warn(String message) {
                System.out.println("[" + id + "] " + message);
            }
        });
        node.start();
        nodes.add(node);
        return node;
    }

    @Test
    void threeNodesShareInterleavedJobsWithFewLoadsAndOneDeadNodesItemsFinishElsewhere() throws Exception {
        Map<String, AtomicInteger> executions = SimulatedRuntime.executions();
        List<List<FleetEvent>> seen = new ArrayList<>();
        List<SimulatedRuntime> runtimes = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            List<FleetEvent> events = Collections.synchronizedList(new ArrayList<>());
            seen.add(events);
            FleetNode node = node("node-" + n, events);
            SimulatedRuntime runtime = new SimulatedRuntime(150, 15, executions);
            runtimes.add(runtime);
            node.addSlot(FleetSlot.of("gpu", runtime, Set.copyOf(MODELS), 1));
        }
        List<String> jobs = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String model : MODELS) {
                jobs.add(fleet.enqueue(model, 20));
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> runtimes.get(2).items.get() > 5);
        java.util.concurrent.CountDownLatch midItem = runtimes.get(2).nextItemStarts();
        assertThat(midItem.await(20, TimeUnit.SECONDS)).isTrue();
        nodes.get(2).halt(); // killed mid-item: no release, no more beats
        int inFlightOfDead = fleet.count("SELECT count(*) FROM batch_fleet_items WHERE lease_owner = 'node-2' AND status = 'RUNNING'");

        await().atMost(Duration.ofSeconds(60)).until(() -> fleet.count(
                "SELECT count(*) FROM batch_fleet_jobs WHERE status = 'COMPLETED'") == jobs.size());

        assertThat(fleet.count("SELECT count(*) FROM batch_fleet_items WHERE status = 'COMPLETED'")).isEqualTo(300);
        assertThat(executions).hasSize(300);
        int reExecuted = executions.values().stream().mapToInt(c -> c.get() - 1).sum();
        assertThat(reExecuted).as("items run twice").isLessThanOrEqualTo(inFlightOfDead);
        assertThat(inFlightOfDead).as("items leased to the dead node").isPositive();
        int loads = runtimes.stream().mapToInt(r -> r.loads.get()).sum();
        System.out.printf("fleet loads %s = %d, items %s, re-executed %d%n",
                runtimes.stream().map(r -> r.loads.get()).toList(), loads,
                runtimes.stream().map(r -> r.items.get()).toList(), reExecuted);
        assertThat(loads).as("loads across the fleet, counted by the runtimes").isLessThanOrEqualTo(MODELS.size() + 3 + 1);
        assertThat(fleet.outbox(FleetPayloads.TOPIC_ITEM_REQUEUED)).hasSize(inFlightOfDead);
        for (int n = 0; n < 2; n++) {
            List<FleetEvent> events = seen.get(n);
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                    .filter(e -> e.topic().equals("ai_batch/job_completed")).count() == jobs.size());
            List<Long> seqs = events.stream().map(FleetEvent::seq).filter(seq -> seq > 0).toList();
            assertThat(seqs).as("node-" + n + " saw each event once, in order").isSorted().doesNotHaveDuplicates();
        }
        assertThat(seen.get(0).stream().map(FleetEvent::seq).filter(seq -> seq > 0).toList())
                .isEqualTo(seen.get(1).stream().map(FleetEvent::seq).filter(seq -> seq > 0).toList());
        List<FleetEvent> first = seen.get(0);
        await("the node table, to this node's subscribers, shows node-2 dead").atMost(Duration.ofSeconds(10))
                .until(() -> List.copyOf(first).stream().anyMatch(e -> e.topic().equals(NodeTable.TOPIC)
                        && ((String) e.properties().get("json")).contains("\"node\":\"node-2\",\"state\":\"dead\"")));
    }

    @Test
    void aStoppedNodeReleasesItsRunningItemsAtOnce() throws Exception {
        Map<String, AtomicInteger> executions = SimulatedRuntime.executions();
        FleetNode a = node("a", Collections.synchronizedList(new ArrayList<>()));
        SimulatedRuntime slow = new SimulatedRuntime(0, 5_000, executions);
        a.addSlot(FleetSlot.of("gpu", slow, Set.of("m"), 1));
        new FleetQueue(fleet.db, "a").enqueue(ai.batch.queue.BatchJob.of("m", "tag", ai.batch.queue.OverwritePolicy.OVERWRITE,
                List.of(ai.batch.queue.BatchItem.of("x", "1", ai.batch.queue.SizeBucket.SMALL),
                        ai.batch.queue.BatchItem.of("y", "2", ai.batch.queue.SizeBucket.SMALL)))); // nothing learned: one item per lease
        assertThat(slow.nextItemStarts().await(10, TimeUnit.SECONDS)).isTrue();

        a.stop();

        assertThat(fleet.count("SELECT count(*) FROM batch_fleet_items WHERE status = 'PENDING' AND lease_owner IS NULL"))
                .isEqualTo(2);
        assertThat(fleet.outbox(FleetPayloads.TOPIC_ITEM_REQUEUED)).extracting(e -> e.get("reason"))
                .containsExactly("node stopped");
    }

    @Test
    void aCancelReachesTheOwningNodeWhichInterruptsTheCallAndGoesOn() throws Exception {
        FleetNode a = node("a", Collections.synchronizedList(new ArrayList<>()));
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        ai.batch.queue.handler.BatchItemHandler<Object> blocking = (data, context) -> {
            ran.add(context.itemId());
            if ("block".equals(data)) {
                started.countDown();
                try {
                    new java.util.concurrent.CountDownLatch(1).await(); // until interrupted
                } catch (InterruptedException e) {
                    stopped.countDown();
                    throw e;
                }
            }
            return ai.batch.queue.handler.ItemResult.success();
        };
        a.addSlot(FleetSlot.of("gpu", blocking, Set.of("m"), 1));
        FleetQueue queue = new FleetQueue(fleet.db, "test");
        String job = queue.enqueue(ai.batch.queue.BatchJob.of("m", "tag", ai.batch.queue.OverwritePolicy.OVERWRITE,
                List.of(ai.batch.queue.BatchItem.of("x", "block", ai.batch.queue.SizeBucket.SMALL))));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        queue.cancelItem(job, "x");

        assertThat(stopped.await(10, TimeUnit.SECONDS)).as("the handler's call was interrupted").isTrue();
        String next = queue.enqueue(ai.batch.queue.BatchJob.of("m", "tag", ai.batch.queue.OverwritePolicy.OVERWRITE,
                List.of(ai.batch.queue.BatchItem.of("y", "fine", ai.batch.queue.SizeBucket.SMALL))));
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.getJob(next).orElseThrow().status()
                == ai.batch.queue.BatchJobStatus.COMPLETED);
        assertThat(queue.getJob(job).orElseThrow().items().get(0).status()).isEqualTo(ai.batch.queue.BatchItemStatus.CANCELLED);
        assertThat(queue.getJob(job).orElseThrow().status()).isEqualTo(ai.batch.queue.BatchJobStatus.COMPLETED);
        assertThat(ran).containsExactly("x", "y");
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.count(
                "SELECT count(*) FROM batch_fleet_items WHERE lease_owner IS NOT NULL") == 0);
    }

    @Test
    void aSlotRunsAsManyCallsAtOnceAsItsHandlersConcurrencyAllOnTheModelItHolds() throws Exception {
        FleetNode a = node("a", Collections.synchronizedList(new ArrayList<>()));
        java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(3);
        Set<String> models = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ai.batch.queue.handler.BatchItemHandler<Object> parallel = (data, context) -> {
            models.add(context.resourceKey());
            together.countDown();
            return together.await(20, TimeUnit.SECONDS) ? ai.batch.queue.handler.ItemResult.success()
                    : ai.batch.queue.handler.ItemResult.failure("the three calls never ran at the same time");
        };
        a.addSlot(new FleetSlot("gpu", List.of(new FleetSlot.Member(parallel, Set.of("m", "other"), 0, 1, 1, 3))));
        FleetQueue queue = new FleetQueue(fleet.db, "test");
        String job = queue.enqueue(ai.batch.queue.BatchJob.of("m", "tag", ai.batch.queue.OverwritePolicy.OVERWRITE,
                List.of(ai.batch.queue.BatchItem.of("1", "a", ai.batch.queue.SizeBucket.SMALL),
                        ai.batch.queue.BatchItem.of("2", "b", ai.batch.queue.SizeBucket.SMALL),
                        ai.batch.queue.BatchItem.of("3", "c", ai.batch.queue.SizeBucket.SMALL))));
        queue.enqueue(ai.batch.queue.BatchJob.of("other", "tag", ai.batch.queue.OverwritePolicy.OVERWRITE,
                List.of(ai.batch.queue.BatchItem.of("later", "d", ai.batch.queue.SizeBucket.SMALL))));

        await().atMost(Duration.ofSeconds(30)).until(() -> queue.getJob(job).orElseThrow().status()
                == ai.batch.queue.BatchJobStatus.COMPLETED);
        assertThat(queue.getJob(job).orElseThrow().items()).extracting(ai.batch.queue.BatchItem::status)
                .containsOnly(ai.batch.queue.BatchItemStatus.COMPLETED);
        assertThat(fleet.count("SELECT count(*) FROM batch_fleet_slots WHERE slot = 'gpu' AND capacity = 3")).isEqualTo(1);
    }
}

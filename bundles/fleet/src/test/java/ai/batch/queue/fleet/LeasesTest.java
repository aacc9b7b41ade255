package ai.batch.queue.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;

class LeasesTest {

    private final StoreFixture fleet = new StoreFixture();

    @Test
    void aReapedNodesLateResultsAreRefusedAndItsItemsRunElsewhere() throws Exception {
        long a = fleet.node("a", Set.of("m"), "gpu");
        long b = fleet.node("b", Set.of("m"), "gpu");
        String job = fleet.enqueue("m", 3);
        FleetClaims.Lease lateLease = fleet.claim("a", a, "gpu", 3);
        assertThat(lateLease.items()).hasSize(3);
        fleet.count("UPDATE batch_fleet_nodes SET heartbeat_at = now() - interval '1 minute' WHERE node_id = 'a' "
                + "RETURNING 1"); // a froze a minute ago
        assertThat(fleet.liveness.beat("b", b)).isTrue();

        NodeLiveness.Reaped reaped = fleet.liveness.reap("b", Duration.ofSeconds(10));

        assertThat(reaped.nodes()).containsExactly("a");
        assertThat(reaped.itemsRequeued()).isEqualTo(3);
        assertThat(fleet.outbox(FleetPayloads.TOPIC_ITEM_REQUEUED)).hasSize(3)
                .allSatisfy(e -> assertThat(e).containsEntry("fromNode", "a").containsEntry("reason", "node dead"));
        FleetClaims.Lease retaken = fleet.claim("b", b, "gpu", 3);
        assertThat(retaken.items()).extracting(ClaimedItem::attempt).containsOnly(2);

        Settlements.Settled late = fleet.completeAll("a", "gpu", lateLease);
        assertThat(late.recorded()).isEmpty();
        assertThat(late.refused()).hasSize(3);
        assertThat(fleet.liveness.beat("a", a)).as("a fenced node's beat").isFalse();
        assertThatThrownBy(() -> fleet.claim("a", a, "gpu", 1)).isInstanceOf(FencedException.class)
                .hasMessageContaining("Node a");

        assertThat(fleet.completeAll("b", "gpu", retaken).recorded()).hasSize(3);
        assertThat(fleet.job(job).status()).isEqualTo(BatchJobStatus.COMPLETED);
        assertThat(fleet.outbox("ai_batch/item_progress")).extracting(e -> e.get("completed")).containsExactly(1, 2, 3);
    }

    @Test
    void aLiveNodeIsNotReapedAndOnlyOneReaperWorksAtATime() throws Exception {
        long a = fleet.node("a", Set.of("m"), "gpu");
        fleet.enqueue("m", 1);
        fleet.claim("a", a, "gpu", 1);

        assertThat(fleet.liveness.reap("b", Duration.ofSeconds(30)).nodes()).isEmpty();
        assertThat(fleet.count("SELECT count(*) FROM batch_fleet_items WHERE status = 'RUNNING'")).isEqualTo(1);
    }

    @Test
    void aNodeRestartedBeforeTheReaperSawItRequeuesWhatItsEarlierRunHeld() throws Exception {
        long first = fleet.node("a", Set.of("m"), "gpu");
        fleet.enqueue("m", 2);
        FleetClaims.Lease old = fleet.claim("a", first, "gpu", 2);

        long second = fleet.liveness.join("a", "test");

        assertThat(second).isEqualTo(first + 1);
        assertThat(fleet.outbox(FleetPayloads.TOPIC_ITEM_REQUEUED)).extracting(e -> e.get("reason"))
                .containsOnly("node restarted").hasSize(2);
        assertThat(fleet.completeAll("a", "gpu", old).refused()).as("results of the earlier run").hasSize(2);
    }

    @Test
    void aGracefulStopReleasesItsLeasesThenStopsBeating() throws Exception {
        long a = fleet.node("a", Set.of("m"), "gpu");
        fleet.enqueue("m", 2);
        fleet.claim("a", a, "gpu", 2);

        assertThat(fleet.liveness.leave("a", a)).isEqualTo(2);

        assertThat(fleet.count("SELECT count(*) FROM batch_fleet_items WHERE status = 'PENDING' AND lease_owner IS NULL"))
                .isEqualTo(2);
        assertThat(fleet.count("SELECT count(*) FROM batch_fleet_slots")).isZero();
        assertThat(fleet.liveness.beat("a", a)).isFalse();
    }

    @Test
    void aRetryWaitsItsTurnAndRunsAgainUnderANewAttempt() throws Exception {
        long a = fleet.node("a", Set.of("m"), "gpu");
        String job = fleet.enqueue("m", 2);
        FleetClaims.Lease lease = fleet.claim("a", a, "gpu", 2);
        fleet.settlements.settle("a", "a/gpu", List.of(Outcome.retry(lease.items().get(0), "busy", 60_000),
                Outcome.retry(lease.items().get(1), "busy", 0)));

        FleetClaims.Lease again = fleet.claim("a", a, "gpu", 2);

        assertThat(again.items()).extracting(ClaimedItem::itemId).containsExactly("i1");
        assertThat(again.items().get(0).attempt()).isEqualTo(2);
        assertThat(fleet.outbox("ai_batch/item_retry")).hasSize(2);
        BatchJob<Object> snapshot = fleet.job(job);
        assertThat(snapshot.items().get(0).status()).isEqualTo(BatchItemStatus.PENDING);
        assertThat(snapshot.items().get(0).error()).isEqualTo("busy");
    }

    @Test
    void oneJobsEventsComeOutAsOneJob() throws Exception {
        long a = fleet.node("a", Set.of("m"), "gpu");
        String job = fleet.enqueue("m", 3);
        FleetClaims.Lease lease = fleet.claim("a", a, "gpu", 3);
        fleet.settlements.settle("a", "a/gpu", List.of(Outcome.completed(lease.items().get(0), 10, "x"),
                Outcome.failed(lease.items().get(1), "bad photo", 20L), Outcome.skipped(lease.items().get(2))));

        assertThat(fleet.outbox(null)).extracting(e -> e.get("topic")).containsExactly("ai_batch/job_queued",
                "ai_batch/job_started", "ai_batch/item_started", "ai_batch/item_started", "ai_batch/item_started",
                "ai_batch/item_progress", "ai_batch/item_progress", "ai_batch/item_progress", "ai_batch/job_completed");
        Map<String, Object> done = fleet.outbox("ai_batch/job_completed").get(0);
        assertThat(done).containsEntry("jobId", job).containsEntry("status", "completedWithErrors")
                .containsEntry("succeeded", 1).containsEntry("failed", 1).containsEntry("skipped", 1)
                .containsEntry("totalDurationMs", 30).containsEntry("avgDurationMs", 15);
        assertThat((String) done.get("json")).startsWith("{\"summary\":{\"jobId\":\"" + job + "\"");
        assertThat(fleet.count("SELECT samples FROM batch_fleet_timings WHERE resource_key = 'm'"))
                .as("the fixture's sample and the completed item's").isEqualTo(2);
    }

    @Test
    void aRowThisNodeCannotReadFailsItsItemWithTheReasonAndTheRestRun() throws Exception {
        long a = fleet.node("a", Set.of("m"), "gpu");
        String job = fleet.enqueue("m", 3);
        fleet.count("WITH u AS (UPDATE batch_fleet_items SET data = '42', data_type = 'java.net.URI' "
                + "WHERE item_id = 'i0' RETURNING 1) SELECT count(*) FROM u");
        fleet.count("WITH u AS (UPDATE batch_fleet_items SET size_bucket = 'ENORMOUS' WHERE item_id = 'i1' "
                + "RETURNING 1) SELECT count(*) FROM u");
        FleetClaims.Lease lease = fleet.claim("a", a, "gpu", 3);
        List<LeasedContext> contexts = lease.items().stream().map(LeasedContext::new).toList();
        SimulatedRuntime runtime = new SimulatedRuntime(0, 0, SimulatedRuntime.executions());

        List<Outcome> outcomes = new ItemCalls("calls", Duration.ofSeconds(5), 1, 0)
                .run(FleetSlot.of("gpu", runtime, Set.of("m"), 1), contexts);
        fleet.settlements.settle("a", "a/gpu", outcomes);

        BatchJob<Object> done = fleet.job(job);
        assertThat(done.status()).isEqualTo(BatchJobStatus.COMPLETED_WITH_ERRORS);
        assertThat(done.items()).extracting(i -> i.status()).containsExactly(BatchItemStatus.FAILED,
                BatchItemStatus.FAILED, BatchItemStatus.COMPLETED);
        assertThat(done.items().get(0).error()).contains("Item i0 of job " + job).contains("cannot read")
                .contains("java.net.URI");
        assertThat(done.items().get(1).error()).contains("Item i1").contains("ENORMOUS");
        assertThat(runtime.items.get()).isEqualTo(1);
    }

    @Test
    void theReaperNeverWaitsOnANodeFrozenInsideATransactionAndTakesItsItemsOnceItEnds() throws Exception {
        long a = fleet.node("a", Set.of("m"), "gpu");
        fleet.node("b", Set.of("m"), "gpu");
        fleet.enqueue("m", 2);
        FleetClaims.Lease held = fleet.claim("a", a, "gpu", 2);
        fleet.count("UPDATE batch_fleet_nodes SET heartbeat_at = now() - interval '1 minute' WHERE node_id = 'a' "
                + "RETURNING 1"); // a froze a minute ago ...
        try (java.sql.Connection frozen = fleet.db.getConnection()) {
            frozen.setAutoCommit(false); // ... in the middle of a transaction that holds its row and its items
            NodeLiveness.checkAlive(frozen, "a", a);
            try (var lock = frozen.createStatement()) {
                lock.execute("SELECT 1 FROM batch_fleet_items WHERE lease_owner = 'a' FOR UPDATE");
            }

            NodeLiveness.Reaped meanwhile = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return fleet.liveness.reap("b", Duration.ofSeconds(10));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }).get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(meanwhile.nodes()).as("a node inside a transaction is passed over").isEmpty();
            frozen.rollback(); // the database ends it (idle_in_transaction_session_timeout on a node's connections)
        }
        NodeLiveness.Reaped reaped = fleet.liveness.reap("b", Duration.ofSeconds(10));

        assertThat(reaped.nodes()).containsExactly("a");
        assertThat(reaped.itemsRequeued()).isEqualTo(held.items().size());
    }
}

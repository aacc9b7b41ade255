package ai.batch.queue.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.plan.ClaimPolicy;

class FleetClaimsTest {

    @Test
    void sixSlotsClaimingTogetherNeverLeaseOneItemTwice() throws Exception {
        StoreFixture fleet = new StoreFixture();
        long[] epochs = new long[3];
        for (int n = 0; n < 3; n++) {
            epochs[n] = fleet.node("node-" + n, Set.of("m"), "a", "b");
        }
        List<String> jobs = new ArrayList<>();
        for (int j = 0; j < 12; j++) {
            jobs.add(fleet.enqueue("m", 100));
        }
        List<String> leased = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                for (String slot : List.of("a", "b")) {
                    String node = "node-" + n;
                    long epoch = epochs[n];
                    workers.add(pool.submit((Callable<Integer>) () -> {
                        go.await();
                        int claimsMade = 0;
                        while (true) {
                            FleetClaims.Lease lease = fleet.claim(node, epoch, slot, 8);
                            if (lease.items().isEmpty()) {
                                return claimsMade;
                            }
                            claimsMade++;
                            lease.items().forEach(i -> leased.add(i.jobId() + "/" + i.itemId()));
                            assertThat(fleet.completeAll(node, slot, lease).refused()).isEmpty();
                        }
                    }));
                }
            }
            go.countDown();
            int slotsThatWorked = 0;
            for (Future<Integer> worker : workers) {
                slotsThatWorked += worker.get(60, TimeUnit.SECONDS) > 0 ? 1 : 0;
            }
            assertThat(slotsThatWorked).as("slots that leased work").isGreaterThan(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(leased).hasSize(1200).doesNotHaveDuplicates();
        for (String job : jobs) {
            assertThat(fleet.job(job).status()).isEqualTo(BatchJobStatus.COMPLETED);
        }
        assertThat(fleet.outbox("ai_batch/job_completed")).hasSize(12);
    }

    @Test
    void idleSlotsClaimingAtOnceNeverColdLoadOneModel() throws Exception {
        for (int round = 0; round < 10; round++) {
            StoreFixture fleet = new StoreFixture();
            Set<String> models = Set.of("x", "y", "z");
            long epoch = fleet.node("n", models, "s1", "s2", "s3");
            for (String model : List.of("x", "y", "z")) {
                fleet.enqueue(model, 4);
            }
            ExecutorService pool = Executors.newFixedThreadPool(3);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<FleetClaims.Lease>> leases = new ArrayList<>();
                for (String slot : List.of("s1", "s2", "s3")) {
                    leases.add(pool.submit(() -> {
                        go.await();
                        return fleet.claim("n", epoch, slot, 4);
                    }));
                }
                go.countDown();
                Set<String> claimed = new HashSet<>();
                for (Future<FleetClaims.Lease> lease : leases) {
                    FleetClaims.Lease got = lease.get(30, TimeUnit.SECONDS);
                    assertThat(got.kind()).isEqualTo(ClaimPolicy.Kind.COLD);
                    claimed.add(got.model());
                }
                assertThat(claimed).as("round " + round).containsExactlyInAnyOrder("x", "y", "z");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aSlotStaysOnTheModelItHoldsAndNamesTheRuleThatChose() throws Exception {
        StoreFixture fleet = new StoreFixture();
        long epoch = fleet.node("n", Set.of("a", "b"));
        fleet.claims.registerSlot("n", epoch, "gpu", Set.of("a", "b"), Set.of("b"), 1);
        fleet.enqueue("a", 3); // older
        String b = fleet.enqueue("b", 3);

        FleetClaims.Lease lease = fleet.claim("n", epoch, "gpu", 2);

        assertThat(lease.kind()).isEqualTo(ClaimPolicy.Kind.STAY);
        assertThat(lease.model()).isEqualTo("b");
        assertThat(lease.items()).extracting(ClaimedItem::itemId).containsExactly("i0", "i1");
        assertThat(lease.items()).allSatisfy(i -> {
            assertThat(i.jobId()).isEqualTo(b);
            assertThat(i.attempt()).isEqualTo(1);
            assertThat(i.data()).isEqualTo("data-" + i.itemId().substring(1));
        });
        assertThat(fleet.job(b).status()).isEqualTo(BatchJobStatus.RUNNING);
    }

    @Test
    void aSecondCopyOfAHotModelOnlyWhenItsWorkIsWorthALoad() throws Exception {
        StoreFixture fleet = new StoreFixture();
        long epoch = fleet.node("n", Set.of("m"), "one", "two");
        fleet.enqueue("m", 10);
        try (var c = fleet.db.getConnection(); var s = c.createStatement()) {
            s.execute("UPDATE batch_fleet_timings SET samples = 5, mean_ms = 100 WHERE resource_key = 'm'");
            s.execute("INSERT INTO batch_fleet_loads VALUES ('m', 1, 5000)"); // 10 items of 100 ms: not worth 2 x 5 s
        }
        assertThat(fleet.claim("n", epoch, "one", 2).kind()).isEqualTo(ClaimPolicy.Kind.COLD);

        assertThat(fleet.claim("n", epoch, "two", 2)).isEqualTo(FleetClaims.Lease.IDLE);

        try (var c = fleet.db.getConnection(); var s = c.createStatement()) {
            s.execute("UPDATE batch_fleet_loads SET mean_ms = 100"); // now 8 x 100 ms of work left > 2 x 100 ms
        }
        assertThat(fleet.claim("n", epoch, "two", 2).kind()).isEqualTo(ClaimPolicy.Kind.STEAL);
    }

    @Test
    void aLeaseCoversAboutTheTargetWorkByTheLearnedItemTime() {
        java.time.Duration second = java.time.Duration.ofSeconds(1);
        List<ClaimPolicy.Work> work = List.of(new ClaimPolicy.Work("fast", 100, 100 * 10.0, 500, false),
                new ClaimPolicy.Work("slow", 10, 10 * 5000.0, 500, false),
                new ClaimPolicy.Work("new", 10, Double.NaN, Double.NaN, false),
                new ClaimPolicy.Work("noop", 10, 0, 0, false));

        assertThat(FleetClaims.leaseSize(work, "fast", 32, second)).isEqualTo(32);
        assertThat(FleetClaims.leaseSize(work, "fast", 1024, second)).isEqualTo(100);
        assertThat(FleetClaims.leaseSize(work, "slow", 32, second)).isEqualTo(1);
        assertThat(FleetClaims.leaseSize(work, "new", 32, second)).as("unknown item time").isEqualTo(1);
        assertThat(FleetClaims.leaseSize(work, "noop", 32, second)).isEqualTo(32);
    }
}

package ai.batch.queue.impl.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ai.batch.queue.impl.plan.ClaimPolicy.Claim;
import ai.batch.queue.impl.plan.ClaimPolicy.Kind;
import ai.batch.queue.impl.plan.ClaimPolicy.Slot;
import ai.batch.queue.impl.plan.ClaimPolicy.Work;

/**
 * The claim rule's invariants over random snapshots and random sequences of claims: what any claim must respect,
 * whatever the table cases of {@link ClaimPolicyTest} cover.
 */
class ClaimPolicyPropertiesTest {

    private static final double K = ClaimPolicy.DEFAULT_STEAL_FACTOR;

    private static final List<String> MODELS = List.of("A", "B", "C", "D", "E", "F");

    @Test
    void randomSnapshotsKeepTheInvariants() {
        Random random = new Random(20240611L);
        int claims = 0;
        int[] kinds = new int[Kind.values().length];
        for (int round = 0; round < 5_000; round++) {
            List<Slot> slots = randomSlots(random);
            List<Work> work = randomWork(random);
            double k = random.nextInt(5) == 0 ? 0 : random.nextDouble() * 4;
            List<String> ids = new ArrayList<>();
            slots.forEach(s -> ids.add(s.id()));
            ids.add("gone");
            for (String id : ids) {
                Claim claim = ClaimPolicy.claim(slots, work, id, k);
                kinds[claim.kind().ordinal()]++;
                claims++;
                checkInvariants(slots, work, id, claim, "round " + round + " slot " + id + " k " + k
                        + " slots " + slots + " work " + work);
            }
        }
        // the generator reaches every kind of claim, so the invariants above were exercised for each
        for (Kind kind : Kind.values()) {
            assertThat(kinds[kind.ordinal()]).as("claims of kind %s out of %d", kind, claims).isGreaterThan(100);
        }
    }

    @Test
    void randomSequencesNeverColdLoadOneModelTwice() {
        Random random = new Random(7L);
        for (int round = 0; round < 3_000; round++) {
            List<Slot> slots = new ArrayList<>(randomSlots(random));
            List<Work> work = randomWork(random);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            Set<String> coldLoaded = new HashSet<>();
            for (int i : order) {
                Slot slot = slots.get(i);
                Claim claim = ClaimPolicy.claim(slots, work, slot.id(), K);
                String context = "round " + round + " slot " + slot.id() + " slots " + slots + " work " + work;
                checkInvariants(slots, work, slot.id(), claim, context);
                if (claim.kind() == Kind.COLD) {
                    assertThat(coldLoaded.add(claim.model())).as("cold-loaded twice: %s", context).isTrue();
                }
                if (claim.kind() == Kind.COLD || claim.kind() == Kind.STEAL) {
                    // the caller marks the lane before the next claim
                    Set<String> holds = new HashSet<>(slot.holds());
                    holds.add(claim.model());
                    slots.set(i, new Slot(slot.id(), slot.serves(), holds));
                }
            }
        }
    }

    private static void checkInvariants(List<Slot> slots, List<Work> work, String id, Claim claim, String context) {
        Slot slot = slots.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
        if (slot == null) {
            assertThat(claim).as("vanished slot: %s", context).isEqualTo(Claim.IDLE);
            return;
        }
        if (claim.kind() == Kind.IDLE) {
            assertThat(claim.model()).as(context).isNull();
            // idle only when there is nothing to stay on and nothing to cold-pick
            for (Work w : work) {
                if (w.items() > 0 && slot.canRun(w.model())) {
                    assertThat(slot.holds()).as("idle beside held work %s: %s", w.model(), context)
                            .doesNotContain(w.model());
                    assertThat(ClaimPolicy.holders(slots, w.model()))
                            .as("idle beside cold work %s: %s", w.model(), context).isPositive();
                }
            }
            return;
        }
        assertThat(claim.model()).as(context).isNotNull();
        Work claimed = work.stream().filter(w -> w.model().equals(claim.model())).findFirst().orElse(null);
        assertThat(claimed).as("claimed a model without work: %s", context).isNotNull();
        assertThat(claimed.items()).as("claimed a model without items: %s", context).isPositive();
        assertThat(slot.canRun(claim.model())).as("claimed a model the slot cannot run: %s", context).isTrue();
        long otherHolders = slots.stream()
                .filter(s -> !s.id().equals(id) && s.holds().contains(claim.model()))
                .count();
        switch (claim.kind()) {
            case COLD -> assertThat(ClaimPolicy.holders(slots, claim.model()))
                    .as("cold pick of a held model: %s", context).isZero();
            case STAY -> assertThat(slot.holds()).as("stay on a model not held: %s", context)
                    .contains(claim.model());
            case STEAL -> {
                assertThat(otherHolders).as("steal of a model no other slot holds: %s", context).isPositive();
                assertThat(slot.holds()).as("steal of a model the slot holds: %s", context)
                        .doesNotContain(claim.model());
                assertThat(claimed.items()).as("steal with no more items than holders: %s", context)
                        .isGreaterThan((int) otherHolders);
            }
            default -> throw new AssertionError("unexpected kind " + claim.kind());
        }
    }

    private static List<Slot> randomSlots(Random random) {
        int n = 1 + random.nextInt(4);
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Set<String> serves = new HashSet<>();
            if (random.nextInt(3) == 0) {
                serves.add("*");
            } else {
                for (String m : MODELS) {
                    if (random.nextInt(2) == 0) {
                        serves.add(m);
                    }
                }
            }
            Set<String> holds = new HashSet<>();
            for (String m : MODELS) {
                // mostly models the slot can run; now and then one it cannot (a stale snapshot)
                if (random.nextInt(5) == 0 && (serves.contains("*") || serves.contains(m) || random.nextInt(4) == 0)) {
                    holds.add(m);
                }
            }
            slots.add(new Slot("s" + i, serves, holds));
        }
        return slots;
    }

    private static List<Work> randomWork(Random random) {
        List<String> models = new ArrayList<>(MODELS);
        Collections.shuffle(models, random);
        int n = random.nextInt(models.size() + 1);
        List<Work> work = new ArrayList<>();
        for (String m : models.subList(0, n)) {
            int items = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(6);
            double remaining = random.nextInt(6) == 0 ? Double.NaN : random.nextInt(3_000);
            double load = random.nextInt(6) == 0 ? Double.NaN : random.nextInt(1_000);
            work.add(new Work(m, items, remaining, load, random.nextInt(6) == 0));
        }
        return work;
    }
}

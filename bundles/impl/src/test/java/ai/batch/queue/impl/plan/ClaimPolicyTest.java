package ai.batch.queue.impl.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import ai.batch.queue.impl.plan.ClaimPolicy.Claim;
import ai.batch.queue.impl.plan.ClaimPolicy.Kind;
import ai.batch.queue.impl.plan.ClaimPolicy.Slot;
import ai.batch.queue.impl.plan.ClaimPolicy.Work;

/**
 * The claim rule as tables: each row is a snapshot (live slots, work in the plan's order, the free slot, the steal
 * factor) and the exact claim it must give. The properties over random snapshots are in
 * {@link ClaimPolicyPropertiesTest}.
 */
class ClaimPolicyTest {

    private static final double NAN = Double.NaN;
    private static final double K = ClaimPolicy.DEFAULT_STEAL_FACTOR;

    /** One row of a table: a named snapshot and the exact claim expected for the free slot. */
    record Case(String name, List<Slot> slots, List<Work> work, String free, double stealFactor, Claim expected) {

        @Override
        public String toString() {
            return name;
        }
    }

    // ---- builders -------------------------------------------------------------------------------------------

    /** A slot that runs any model ("*") and holds the given ones. */
    private static Slot any(String id, String... holds) {
        return new Slot(id, Set.of("*"), Set.of(holds));
    }

    /** A slot that runs only the given models and holds nothing. */
    private static Slot serving(String id, Set<String> serves, String... holds) {
        return new Slot(id, serves, Set.of(holds));
    }

    private static Work w(String model, int items, double remainingMs, double loadMs) {
        return new Work(model, items, remainingMs, loadMs, false);
    }

    /** Work with items but not worth a steal (no remaining work), so it can only be stayed on or cold-picked. */
    private static Work w(String model, int items) {
        return new Work(model, items, 0, 1_000, false);
    }

    private static Work aged(String model, int items) {
        return new Work(model, items, 0, 1_000, true);
    }

    private static List<Slot> slots(Slot... s) {
        return List.of(s);
    }

    private static List<Work> work(Work... w) {
        return List.of(w);
    }

    private static Claim stay(String model) {
        return new Claim(Kind.STAY, model);
    }

    private static Claim cold(String model) {
        return new Claim(Kind.COLD, model);
    }

    private static Claim steal(String model) {
        return new Claim(Kind.STEAL, model);
    }

    private static Case c(String name, List<Slot> slots, List<Work> work, String free, Claim expected) {
        return new Case(name, slots, work, free, K, expected);
    }

    private static Case c(String name, List<Slot> slots, List<Work> work, String free, double k, Claim expected) {
        return new Case(name, slots, work, free, k, expected);
    }

    private static void check(Case c) {
        assertThat(ClaimPolicy.claim(c.slots(), c.work(), c.free(), c.stealFactor()))
                .as(c.name())
                .isEqualTo(c.expected());
    }

    // ---- stay -------------------------------------------------------------------------------------------------

    static Stream<Case> stay() {
        return Stream.of(
                c("stays on the held model with work",
                        slots(any("s1", "A")), work(w("A", 3)), "s1", stay("A")),
                c("stay beats a cold pick earlier in plan order",
                        slots(any("s1", "A")), work(w("C", 9), w("A", 1)), "s1", stay("A")),
                c("stay beats a steal worth a copy",
                        slots(any("s1", "A"), any("s2", "B")),
                        work(w("B", 100, 1e9, 1), w("A", 1)), "s1", stay("A")),
                c("stay picks the first held model in plan order (B before A)",
                        slots(any("s1", "A", "B")), work(w("B", 1), w("A", 5)), "s1", stay("B")),
                c("stay picks the first held model in plan order (A before B)",
                        slots(any("s1", "A", "B")), work(w("A", 1), w("B", 5)), "s1", stay("A")),
                c("stay skips a held model without items for the next held one",
                        slots(any("s1", "A", "B")), work(w("A", 0), w("B", 2)), "s1", stay("B")),
                c("a held model without items is not stayed on: cold pick instead",
                        slots(any("s1", "A")), work(w("A", 0), w("B", 2)), "s1", cold("B")),
                c("a held model absent from the work is not stayed on: cold pick instead",
                        slots(any("s1", "A")), work(w("B", 2)), "s1", cold("B")),
                c("a held model without items and nothing else: idle",
                        slots(any("s1", "A")), work(w("A", 0)), "s1", Claim.IDLE),
                c("another slot stays on the same model too (both hold it)",
                        slots(any("s1", "A"), any("s2", "A")), work(w("A", 4)), "s2", stay("A")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void stay(Case c) {
        check(c);
    }

    // ---- cold pick ------------------------------------------------------------------------------------------

    static Stream<Case> coldPick() {
        return Stream.of(
                c("cold picks the only model",
                        slots(any("s1")), work(w("A", 1)), "s1", cold("A")),
                c("cold picks the first model in plan order",
                        slots(any("s1")), work(w("B", 1), w("A", 1), w("C", 1)), "s1", cold("B")),
                c("cold skips a model without items",
                        slots(any("s1")), work(w("B", 0), w("A", 1)), "s1", cold("A")),
                c("cold skips a model another slot holds",
                        slots(any("s1"), any("s2", "A")), work(w("A", 9), w("B", 1), w("C", 1)), "s1",
                        cold("B")),
                c("cold pick beats a steal worth a copy",
                        slots(any("s1"), any("s2", "A")), work(w("A", 100, 1e9, 1), w("B", 1)), "s1",
                        cold("B")),
                c("a model another slot is loading (its lane) is never cold-picked: idle",
                        slots(any("s1"), any("s2", "A")), work(w("A", 1)), "s1", Claim.IDLE),
                c("a model another slot is loading is never cold-picked, even with much work: steal, not cold",
                        slots(any("s1"), any("s2", "A")), work(w("A", 10, NAN, NAN)), "s1", steal("A")),
                c("a model a slot that cannot serve this one holds is still held: not cold",
                        slots(any("s1"), serving("s2", Set.of("A"), "A")), work(w("A", 1), w("B", 1)), "s1",
                        cold("B")),
                c("a slot holding several models blocks each of them from a cold pick",
                        slots(any("s1"), any("s2", "A", "B")), work(w("A", 1), w("B", 1), w("C", 1)), "s1",
                        cold("C")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void coldPick(Case c) {
        check(c);
    }

    // ---- serves -----------------------------------------------------------------------------------------------

    static Stream<Case> serves() {
        return Stream.of(
                c("cold skips a model the slot cannot run",
                        slots(serving("s1", Set.of("B"))), work(w("A", 1), w("B", 1)), "s1", cold("B")),
                c("nothing the slot can run: idle",
                        slots(serving("s1", Set.of("B"))), work(w("A", 5)), "s1", Claim.IDLE),
                c("never steals a model the slot cannot run",
                        slots(serving("s1", Set.of("B")), any("s2", "A")),
                        work(w("A", 100, 1e9, 1)), "s1", Claim.IDLE),
                c("steals the model it can run, not a bigger one it cannot",
                        slots(serving("s1", Set.of("B")), any("s2", "A", "B")),
                        work(w("A", 100, 1e9, 1), w("B", 10, 1e4, 1)), "s1", steal("B")),
                c("never takes an aged model it cannot run: stays instead",
                        slots(serving("s1", Set.of("B"), "B")), work(aged("A", 1), w("B", 1)), "s1", stay("B")),
                c("a held model it cannot run is not stayed on",
                        slots(serving("s1", Set.of("B"), "A")), work(w("A", 3), w("B", 1)), "s1", cold("B")),
                c("a held model it cannot run is not stolen either: idle",
                        slots(serving("s1", Set.of("B"), "A"), any("s2", "A")),
                        work(w("A", 100, NAN, NAN)), "s1", Claim.IDLE),
                c("\"*\" serves any model",
                        slots(any("s1")), work(w("anything/at-all:7b", 1)), "s1", cold("anything/at-all:7b")),
                c("\"*\" among named models still serves any",
                        slots(serving("s1", Set.of("B", "*"))), work(w("A", 1)), "s1", cold("A")),
                c("serving several named models: first runnable in plan order",
                        slots(serving("s1", Set.of("C", "B"))), work(w("A", 1), w("B", 1), w("C", 1)), "s1",
                        cold("B")),
                c("serving nothing: idle",
                        slots(serving("s1", Set.of())), work(w("A", 1)), "s1", Claim.IDLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void serves(Case c) {
        check(c);
    }

    // ---- aging ------------------------------------------------------------------------------------------------

    static Stream<Case> aging() {
        return Stream.of(
                c("an aged model no slot holds beats staying",
                        slots(any("s1", "A")), work(w("A", 5), aged("B", 1)), "s1", cold("B")),
                c("an aged model no slot holds beats staying even later in plan order",
                        slots(any("s1", "A")), work(w("A", 5), w("C", 1), aged("B", 1)), "s1", cold("B")),
                c("an aged model no slot holds beats an earlier non-aged cold pick",
                        slots(any("s1")), work(w("A", 1), aged("B", 1)), "s1", cold("B")),
                c("the first aged model in plan order",
                        slots(any("s1")), work(aged("C", 1), aged("B", 1)), "s1", cold("C")),
                c("an aged model another slot holds does not beat staying",
                        slots(any("s1", "A"), any("s2", "B")), work(aged("B", 50), w("A", 1)), "s1", stay("A")),
                c("an aged model another slot holds is skipped for the next aged one",
                        slots(any("s1", "A"), any("s2", "B")), work(aged("B", 50), aged("C", 1), w("A", 1)), "s1",
                        cold("C")),
                c("an aged model without items is not taken",
                        slots(any("s1", "A")), work(aged("B", 0), w("A", 1)), "s1", stay("A")),
                c("an aged model another slot holds is not cold-picked: steal when worth a copy",
                        slots(any("s1"), any("s2", "B")),
                        work(new Work("B", 10, 1e6, 10, true)), "s1", steal("B")),
                c("an aged model another slot holds is not cold-picked: idle when not worth a copy",
                        slots(any("s1"), any("s2", "B")), work(aged("B", 10)), "s1", Claim.IDLE),
                c("an aged model this slot holds: stays on it",
                        slots(any("s1", "B")), work(aged("B", 1)), "s1", stay("B")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void aging(Case c) {
        check(c);
    }

    // ---- steal ------------------------------------------------------------------------------------------------

    static Stream<Case> steal() {
        List<Slot> oneHolder = slots(any("s1"), any("s2", "A"));
        List<Slot> twoHolders = slots(any("s1"), any("s2", "A"), any("s3", "A"));
        return Stream.of(
                // remaining per holder against stealFactor × load (k = 2, load = 100 → threshold 200)
                c("steals when work per holder exceeds k × load",
                        oneHolder, work(w("A", 10, 1000, 100)), "s1", steal("A")),
                c("just above the threshold: steal",
                        oneHolder, work(w("A", 10, 200.5, 100)), "s1", steal("A")),
                c("exactly k × load is not enough: idle",
                        oneHolder, work(w("A", 10, 200, 100)), "s1", Claim.IDLE),
                c("below k × load: idle",
                        oneHolder, work(w("A", 10, 150, 100)), "s1", Claim.IDLE),
                c("two holders share the work: 400 / 2 = 200 is not above 200",
                        twoHolders, work(w("A", 10, 400, 100)), "s1", Claim.IDLE),
                c("two holders share the work: 402 / 2 = 201 is above 200",
                        twoHolders, work(w("A", 10, 402, 100)), "s1", steal("A")),
                c("the steal factor scales the threshold (k = 5: 450 < 500)",
                        oneHolder, work(w("A", 10, 450, 100)), "s1", 5.0, Claim.IDLE),
                c("the steal factor scales the threshold (k = 4: 450 > 400)",
                        oneHolder, work(w("A", 10, 450, 100)), "s1", 4.0, steal("A")),
                c("k = 0: any remaining work is worth a copy",
                        oneHolder, work(w("A", 2, 1, 1e9)), "s1", 0.0, steal("A")),
                c("k = 0 but no remaining work: idle",
                        oneHolder, work(w("A", 2, 0, 1e9)), "s1", 0.0, Claim.IDLE),
                // more items than holders
                c("items equal to holders (1): idle",
                        oneHolder, work(w("A", 1, 1e9, 1)), "s1", Claim.IDLE),
                c("items one more than holders (2 > 1): steal",
                        oneHolder, work(w("A", 2, 1e9, 1)), "s1", steal("A")),
                c("items equal to holders (2): idle",
                        twoHolders, work(w("A", 2, 1e9, 1)), "s1", Claim.IDLE),
                c("items one more than holders (3 > 2): steal",
                        twoHolders, work(w("A", 3, 1e9, 1)), "s1", steal("A")),
                c("no items: never steal",
                        oneHolder, work(w("A", 0, 1e9, 1)), "s1", Claim.IDLE),
                // largest share per holder, then plan order
                c("largest share per holder wins over plan order",
                        slots(any("s1"), any("s2", "A", "B")),
                        work(w("A", 10, 1000, 1), w("B", 10, 5000, 1)), "s1", steal("B")),
                c("share is per holder, not total: 1000 / 1 beats 1800 / 2",
                        slots(any("s1"), any("s2", "A", "B"), any("s3", "A")),
                        work(w("A", 10, 1800, 1), w("B", 10, 1000, 1)), "s1", steal("B")),
                c("equal shares: the first in plan order (A)",
                        slots(any("s1"), any("s2", "A", "B"), any("s3", "A")),
                        work(w("A", 10, 2000, 1), w("B", 10, 1000, 1)), "s1", steal("A")),
                c("equal shares: the first in plan order (B)",
                        slots(any("s1"), any("s2", "A", "B"), any("s3", "A")),
                        work(w("B", 10, 1000, 1), w("A", 10, 2000, 1)), "s1", steal("B")),
                c("the largest share not worth a copy is passed over for a smaller one that is",
                        slots(any("s1"), any("s2", "A", "B")),
                        work(w("A", 10, 5000, 1e6), w("B", 10, 1000, 1)), "s1", steal("B")),
                c("the largest share with too few items is passed over",
                        slots(any("s1"), any("s2", "A", "B")),
                        work(w("A", 1, 5000, 1), w("B", 10, 1000, 1)), "s1", steal("B")),
                c("three candidates: the largest share in the middle",
                        slots(any("s1"), any("s2", "A", "B", "C")),
                        work(w("A", 10, 300, 1), w("B", 10, 900, 1), w("C", 10, 600, 1)), "s1", steal("B")),
                // unknown load / unknown remaining work
                c("unknown load counts as 0: any remaining work is worth a copy",
                        oneHolder, work(w("A", 2, 1, NAN)), "s1", steal("A")),
                c("unknown load counts as 0, but no remaining work is not worth a copy",
                        oneHolder, work(w("A", 2, 0, NAN)), "s1", Claim.IDLE),
                c("unknown remaining work counts as worth a copy, even against a huge load",
                        oneHolder, work(w("A", 2, NAN, 1e12)), "s1", steal("A")),
                c("unknown remaining work and unknown load: worth a copy",
                        oneHolder, work(w("A", 2, NAN, NAN)), "s1", steal("A")),
                c("unknown remaining work still needs more items than holders",
                        oneHolder, work(w("A", 1, NAN, NAN)), "s1", Claim.IDLE),
                c("unknown remaining work outranks any known share",
                        slots(any("s1"), any("s2", "A", "B")),
                        work(w("A", 10, 1e12, 1), w("B", 10, NAN, 1)), "s1", steal("B")),
                c("two unknown remaining works: the first in plan order",
                        slots(any("s1"), any("s2", "A", "B")),
                        work(w("B", 10, NAN, 1), w("A", 10, NAN, 1)), "s1", steal("B")),
                // a slot holding the model does not steal it
                c("a slot already holding the model stays, it does not steal it",
                        slots(any("s1", "A"), any("s2", "A")), work(w("A", 10, 1e9, 1)), "s1", stay("A")),
                c("a slot holding only a model it cannot run does not steal it",
                        slots(serving("s1", Set.of("B"), "A"), any("s2", "A")),
                        work(w("A", 10, 1e9, 1)), "s1", Claim.IDLE),
                c("a slot holding a model without work steals another one",
                        slots(any("s1", "B"), any("s2", "A", "B")),
                        work(w("B", 0), w("A", 10, 1e9, 1)), "s1", steal("A")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void steal(Case c) {
        check(c);
    }

    // ---- idle -------------------------------------------------------------------------------------------------

    static Stream<Case> idle() {
        return Stream.of(
                c("no work at all", slots(any("s1")), work(), "s1", Claim.IDLE),
                c("work without items", slots(any("s1")), work(w("A", 0), w("B", 0)), "s1", Claim.IDLE),
                c("slot missing from an empty snapshot", slots(), work(w("A", 1)), "s1", Claim.IDLE),
                c("free slot vanished mid-claim; others remain and there is cold work",
                        slots(any("s2", "A"), any("s3")), work(w("A", 5), w("B", 5)), "s1", Claim.IDLE),
                c("free slot vanished; there is work worth a steal",
                        slots(any("s2", "A")), work(w("A", 10, NAN, NAN)), "s1", Claim.IDLE),
                c("free slot vanished; there is aged work",
                        slots(any("s2")), work(aged("A", 1)), "s1", Claim.IDLE),
                c("the slot id is matched exactly", slots(any("S1")), work(w("A", 1)), "s1", Claim.IDLE),
                c("the remaining slot still claims after another vanished",
                        slots(any("s2", "A"), any("s3")), work(w("A", 5), w("B", 5)), "s3", cold("B")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void idle(Case c) {
        check(c);
    }

    // ---- sequences --------------------------------------------------------------------------------------------

    @Test
    void twoIdleSlotsNeverColdLoadOneModel() {
        List<Work> work = work(w("A", 5), w("B", 5));
        Slot s1 = any("s1");
        Slot s2 = any("s2");

        Claim first = ClaimPolicy.claim(List.of(s1, s2), work, "s1", K);
        assertThat(first).isEqualTo(cold("A"));

        // the caller marks the lane before the next claim
        Slot s1Loading = any("s1", "A");
        Claim second = ClaimPolicy.claim(List.of(s1Loading, s2), work, "s2", K);
        assertThat(second).isEqualTo(cold("B"));

        Slot s2Loading = any("s2", "B");
        Slot s3 = any("s3");
        assertThat(ClaimPolicy.claim(List.of(s1Loading, s2Loading, s3), work, "s3", K)).isEqualTo(Claim.IDLE);
    }

    @Test
    void holdersCountsHoldingAndLoadingSlots() {
        List<Slot> slots = slots(any("s1", "A"), any("s2", "A", "B"), serving("s3", Set.of("C")));
        assertThat(ClaimPolicy.holders(slots, "A")).isEqualTo(2);
        assertThat(ClaimPolicy.holders(slots, "B")).isEqualTo(1);
        assertThat(ClaimPolicy.holders(slots, "C")).isZero();
        assertThat(ClaimPolicy.holders(List.of(), "A")).isZero();
    }

    @Test
    void defaultStealFactorIsTwoLoads() {
        assertThat(ClaimPolicy.DEFAULT_STEAL_FACTOR).isEqualTo(2.0);
    }

    @Test
    void theTablesNameEveryCaseOnce() {
        List<String> names = new ArrayList<>();
        Stream.of(stay(), coldPick(), serves(), aging(), steal(), idle())
                .flatMap(s -> s)
                .forEach(c -> names.add(c.name()));
        assertThat(new LinkedHashSet<>(names)).hasSameSizeAs(names);
        assertThat(Arrays.asList(Kind.values())).hasSize(4);
    }
}

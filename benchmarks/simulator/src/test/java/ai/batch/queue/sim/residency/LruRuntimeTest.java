package ai.batch.queue.sim.residency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LruRuntimeTest {

    @Test
    void loadingIntoAFullRuntimeEvictsTheLeastRecentlyUsedModel() {
        LruRuntime runtime = new LruRuntime(2);
        assertThat(runtime.beginLoad("a", Set.of())).isNull();
        runtime.finishLoad("a");
        assertThat(runtime.beginLoad("b", Set.of())).isNull();
        runtime.finishLoad("b");
        runtime.use("a");

        assertThat(runtime.beginLoad("c", Set.of())).isEqualTo("b");
        assertThat(runtime.lruOrder()).containsExactly("a", "c");
        assertThat(runtime.loads()).isEqualTo(3);
    }

    @Test
    void likeOllamaAFullRuntimeEvictsTheIdleModelFirstInItsFixedOrderWhicheverWasUsedLast() {
        LruRuntime runtime = new LruRuntime(2, LruRuntime.Eviction.OLLAMA);
        runtime.beginLoad("b", Set.of());
        runtime.finishLoad("b");
        runtime.beginLoad("a", Set.of());
        runtime.finishLoad("a");
        runtime.use("b");

        assertThat(runtime.beginLoad("c", Set.of())).isEqualTo("a");
        runtime.finishLoad("c");
        assertThat(runtime.beginLoad("a", Set.of("b"))).isEqualTo("c");
    }

    @Test
    void aModelBeingLoadedHoldsItsSlotButCannotServe() {
        LruRuntime runtime = new LruRuntime(1);
        runtime.beginLoad("a", Set.of());

        assertThat(runtime.holds("a")).isTrue();
        assertThat(runtime.isReady("a")).isFalse();
        assertThat(runtime.readyModels()).isEmpty();
        runtime.finishLoad("a");
        assertThat(runtime.readyModels()).containsExactly("a");
    }

    @Test
    void pinnedAndLoadingModelsAreNotEvicted() {
        LruRuntime runtime = new LruRuntime(2);
        runtime.beginLoad("a", Set.of());
        runtime.finishLoad("a");
        runtime.beginLoad("b", Set.of());
        runtime.finishLoad("b");

        assertThat(runtime.beginLoad("c", Set.of("a"))).isEqualTo("b");
        assertThatThrownBy(() -> runtime.beginLoad("d", Set.of("a"))) // c is still loading, a is pinned
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no room");
    }

    @Test
    void capacityOneAlwaysEvictsTheOtherModel() {
        LruRuntime runtime = new LruRuntime(1);
        for (String model : List.of("a", "b", "a")) {
            runtime.beginLoad(model, Set.of());
            runtime.finishLoad(model);
            assertThat(runtime.lruOrder()).containsExactly(model);
        }
        assertThat(runtime.loads()).isEqualTo(3);
    }

    @Test
    void unloadFreesTheSlot() {
        LruRuntime runtime = new LruRuntime(1);
        runtime.beginLoad("a", Set.of());
        runtime.finishLoad("a");
        runtime.unload("a");

        assertThat(runtime.size()).isZero();
        assertThat(runtime.beginLoad("b", Set.of())).isNull();
    }
}

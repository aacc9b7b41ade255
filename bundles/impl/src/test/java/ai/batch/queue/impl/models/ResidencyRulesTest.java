package ai.batch.queue.impl.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ResidencyRulesTest {

    @Test
    void aPreloadStartsItsLoadTimePlusAMarginBeforeItsTurn() {
        assertThat(ResidencyRules.preloadInMs(OptionalDouble.of(300), 5_000L)).as("lead 800 ms").isEqualTo(4_200);
        assertThat(ResidencyRules.preloadInMs(OptionalDouble.of(3_000), 4_000L)).as("lead 4.5 s: now").isZero();
        assertThat(ResidencyRules.preloadInMs(OptionalDouble.empty(), 60_000L)).as("load time unknown").isZero();
        assertThat(ResidencyRules.preloadInMs(OptionalDouble.of(300), null)).as("start unknown").isZero();
    }

    @Test
    void roomCountsTheRunningModelAndAtLeastOnePlace() {
        assertThat(ResidencyRules.hasRoom(Set.of("llava"), 2)).isTrue();
        assertThat(ResidencyRules.hasRoom(Set.of("llava", "moondream"), 2)).isFalse();
        assertThat(ResidencyRules.hasRoom(Set.of(), 0)).as("capacity below 1 counts as 1").isTrue();
        assertThat(ResidencyRules.hasRoom(Set.of("llava"), 0)).isFalse();
    }

    @Test
    void onlyAnIdleModelTheQueueUsedMayGoForRoom() {
        assertThat(ResidencyRules.mayGoForRoom("moondream", "llava", Set.of(), true)).isTrue();
        assertThat(ResidencyRules.mayGoForRoom("llava", "llava", Set.of(), true)).as("the running one").isFalse();
        assertThat(ResidencyRules.mayGoForRoom("moondream", "llava", Set.of("moondream"), true)).as("has work")
                .isFalse();
        assertThat(ResidencyRules.mayGoForRoom("moondream", "llava", Set.of(), false)).as("someone else's")
                .isFalse();
    }

    @Test
    void anIdleModelGoesAfterKeepWarmUnlessKeptForEver() {
        assertThat(ResidencyRules.idleDue(300_000, 300_000)).isTrue();
        assertThat(ResidencyRules.idleDue(299_999, 300_000)).isFalse();
        assertThat(ResidencyRules.idleDue(Long.MAX_VALUE, 0)).as("0 keeps it").isFalse();
    }
}

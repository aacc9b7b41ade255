package ai.batch.queue.handler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ItemResultTest {

    @Test
    void successHasNoOutputAndNoError() {
        ItemResult result = ItemResult.success();

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.output()).isNull();
        assertThat(result.error()).isNull();
    }

    @Test
    void successWithOutputKeepsOutput() {
        ItemResult result = ItemResult.successWithOutput("tags: cat, sunset");

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.output()).isEqualTo("tags: cat, sunset");
        assertThat(result.error()).isNull();
    }

    @Test
    void successWithNullOutputEqualsPlainSuccess() {
        ItemResult result = ItemResult.successWithOutput(null);

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.output()).isNull();
        assertThat(result).isEqualTo(ItemResult.success()).hasSameHashCodeAs(ItemResult.success());
    }

    @Test
    void failureKeepsErrorAndHasNoOutput() {
        ItemResult result = ItemResult.failure("model not loaded");

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.error()).isEqualTo("model not loaded");
        assertThat(result.output()).isNull();
    }

    @Test
    void failureWithNullErrorIsStillAFailure() {
        ItemResult result = ItemResult.failure(null);

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.error()).isNull();
    }

    @Test
    void equalityFollowsValues() {
        assertThat(ItemResult.failure("x")).isEqualTo(ItemResult.failure("x"))
                .hasSameHashCodeAs(ItemResult.failure("x"))
                .isNotEqualTo(ItemResult.failure("y"))
                .isNotEqualTo(ItemResult.success());
        assertThat(ItemResult.successWithOutput("a")).isEqualTo(ItemResult.successWithOutput("a"))
                .isNotEqualTo(ItemResult.successWithOutput("b"));
    }

    @Test
    void toStringNamesOutcome() {
        assertThat(ItemResult.failure("boom").toString()).contains("failure").contains("boom");
        assertThat(ItemResult.successWithOutput("out").toString()).contains("success").contains("out");
    }
}

package ai.batch.queue.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

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

    @Test
    void retryableFailureKeepsTheLeastWait() {
        ItemResult result = ItemResult.retryableFailure("busy", Duration.ofSeconds(2));

        assertThat(result.isRetryable()).isTrue();
        assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(result).isNotEqualTo(ItemResult.retryableFailure("busy"))
                .isEqualTo(ItemResult.retryableFailure("busy", Duration.ofMillis(2000)));
        assertThat(result.toString()).contains("retry after PT2S");
    }

    @Test
    void aZeroOrMissingWaitIsNoWish() {
        assertThat(ItemResult.retryableFailure("busy", Duration.ZERO)).isEqualTo(ItemResult.retryableFailure("busy"));
        assertThat(ItemResult.retryableFailure("busy", null).retryAfter()).isNull();
        assertThat(ItemResult.failure("no").retryAfter()).isNull();
    }

    @Test
    void aNegativeWaitIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ItemResult.retryableFailure("busy", Duration.ofSeconds(-1)))
                .withMessageContaining("retryAfter");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryableException("busy", Duration.ofSeconds(-1)))
                .withMessageContaining("retryAfter");
    }
}

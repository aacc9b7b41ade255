package ai.batch.queue.runtime.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import ai.batch.queue.handler.ItemResult;

class FailureTextTest {

    private static final String KEY = "sk-test-4f1c9e2a7b3d";

    @Test
    void theServersTextIsMaskedThenCutToOneLine() {
        String text = "x".repeat(FailureText.MAX_SERVER_TEXT - 3) + KEY + "\ntail";

        String line = FailureText.serverText(text, new SecretMask(KEY));

        assertThat(line).isEqualTo("x".repeat(FailureText.MAX_SERVER_TEXT - 3) + "***…");
        for (int start = 0; start + 5 <= KEY.length(); start++) {
            assertThat(line).doesNotContain(KEY.substring(start, start + 5));
        }
    }

    @Test
    void noTextIsEmpty() {
        assertThat(FailureText.serverText(null, SecretMask.NONE)).isEmpty();
        assertThat(FailureText.serverText("  \n ", SecretMask.NONE)).isEmpty();
    }

    @Test
    void anItemsFailureNamesModelJobAndItem() {
        assertThat(FailureText.item("llava", "job-1", "i1", "server error, HTTP 500"))
                .isEqualTo("Model 'llava', job job-1, item i1: server error, HTTP 500");
    }

    @Test
    void aCancelledItemFailsForGoodAndSaysSo() {
        ItemResult result = FailureText.cancelled();

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.isRetryable()).isFalse();
        assertThat(result.error()).isEqualTo(FailureText.CANCELLED);
    }

    @Test
    void theLogLineSaysWhetherTheFailureMayPass() {
        assertThat(FailureText.LOG_LINE).isEqualTo("Item {} of job {} failed{}: {}");
        assertThat(FailureText.mayPass(true)).isEqualTo(" (may pass if tried again)");
        assertThat(FailureText.mayPass(false)).isEmpty();
    }
}

package ai.batch.queue.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.batch.queue.runtime.kit.SecretMask;

/** The error body shapes; which statuses may pass and Retry-After are the runtime kit's, tested there. */
class ErrorBodiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}} | bad, type invalid_request_error",
        "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}}  | Loading model, type unavailable_error, code 503",
        "{\"error\":\"plain words\"}                                                            | plain words",
        "{\"detail\":\"Not Found\"}                                                             | Not Found",
        "{\"detail\":[{\"loc\":[\"body\",\"model\"],\"msg\":\"field required\"}]}              | field required",
        "{\"message\":\"only a message\"}                                                      | only a message",
        "Internal Server Error                                                                 | Internal Server Error",
    })
    void everyKnownShapeGivesTheServersWords(String body, String message) {
        assertThat(ErrorBodies.message(body.getBytes(StandardCharsets.UTF_8), SecretMask.NONE)).isEqualTo(message);
    }

    @Test
    void anEmptyBodySaysNothing() {
        assertThat(ErrorBodies.message(new byte[0], SecretMask.NONE)).isEmpty();
    }
}

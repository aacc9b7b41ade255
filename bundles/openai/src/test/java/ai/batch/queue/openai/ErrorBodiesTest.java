package ai.batch.queue.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        assertThat(ErrorBodies.message(body.getBytes(StandardCharsets.UTF_8), KeyMask.NONE)).isEqualTo(message);
    }

    @Test
    void anEmptyBodySaysNothing() {
        assertThat(ErrorBodies.message(new byte[0], KeyMask.NONE)).isEmpty();
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");

        assertThat(ErrorBodies.retryAfter("30", now, KeyMask.NONE)).isEqualTo("retry after 30 s");
        assertThat(ErrorBodies.retryAfter("Thu, 03 Dec 2026 10:01:30 GMT", now, KeyMask.NONE))
                .isEqualTo("retry after 90 s (Thu, 03 Dec 2026 10:01:30 GMT)");
        assertThat(ErrorBodies.retryAfter(null, now, KeyMask.NONE)).isNull();
    }

    @Test
    void retryAfterAsADuration() {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");

        assertThat(ErrorBodies.retryAfterDuration("2", now)).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(ErrorBodies.retryAfterDuration(" 120 ", now)).isEqualTo(java.time.Duration.ofSeconds(120));
        assertThat(ErrorBodies.retryAfterDuration("Thu, 03 Dec 2026 10:01:30 GMT", now))
                .isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(ErrorBodies.retryAfterDuration("Thursday, 03-Dec-26 10:01:30 GMT", now))
                .as("RFC 850").isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(ErrorBodies.retryAfterDuration("Thu Dec  3 10:01:30 2026", now))
                .as("asctime").isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(ErrorBodies.retryAfterDuration("Thu, 03 Dec 2026 09:59:00 GMT", now))
                .as("a date already past asks for no wait").isEqualTo(java.time.Duration.ZERO);
        assertThat(ErrorBodies.retryAfterDuration("99999999999999999999999", now))
                .as("absurdly large: capped, not an overflow").isEqualTo(java.time.Duration.ofDays(1));
        assertThat(ErrorBodies.retryAfterDuration("soon", now)).isNull();
        assertThat(ErrorBodies.retryAfterDuration("-5", now)).isNull();
        assertThat(ErrorBodies.retryAfterDuration(null, now)).isNull();
    }

    @Test
    void onlyOverloadAndGatewayStatusesMayPass() {
        assertThat(java.util.List.of(408, 429, 502, 503, 504)).allMatch(ErrorBodies::retryable);
        assertThat(java.util.List.of(400, 401, 403, 404, 413, 422, 500)).noneMatch(ErrorBodies::retryable);
    }
}

package ai.batch.queue.runtime.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpStatusesTest {

    @Test
    void onlyTimeoutOverloadAndGatewayStatusesMayPass() {
        assertThat(List.of(408, 429, 502, 503, 504)).allMatch(HttpStatuses::retryable);
        assertThat(List.of(400, 401, 403, 404, 413, 422, 500, 501, 505)).noneMatch(HttpStatuses::retryable);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "408 | request timeout",
        "429 | too many requests",
        "502 | server busy or unavailable",
        "503 | server busy or unavailable",
        "504 | server busy or unavailable",
        "400 | request rejected",
        "404 | request rejected",
        "500 | server error",
        "507 | server error",
    })
    void eachClassOfFailureHasOneWording(int status, String words) {
        assertThat(HttpStatuses.words(status)).isEqualTo(words);
    }

    @Test
    void theServersWordsFollowTheStatus() {
        assertThat(HttpStatuses.describe(429, "Rate limit reached"))
                .isEqualTo("too many requests, HTTP 429: Rate limit reached");
        assertThat(HttpStatuses.describe(504, "")).isEqualTo("server busy or unavailable, HTTP 504");
        assertThat(HttpStatuses.describe(500, null)).isEqualTo("server error, HTTP 500");
    }
}

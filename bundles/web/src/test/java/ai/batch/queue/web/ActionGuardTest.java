package ai.batch.queue.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Read-only mode, same-origin and CSRF token checks on actions. */
class ActionGuardTest {

    private static final String TOKEN = "secret-token";

    @Test
    void readOnlyRefusesEvenAValidRequest() {
        Optional<ApiResponse> refused = ActionGuard.check(false, "http://localhost:8088", null, "localhost:8088",
                TOKEN, TOKEN);
        assertThat(refused).get().extracting(ApiResponse::status).isEqualTo(403);
        assertThat(refused.get().body().get("error").asText()).contains("read-only", "actions.enabled");
    }

    @Test
    void sameOriginWithTheSessionTokenPasses() {
        assertThat(ActionGuard.check(true, "http://localhost:8088", null, "localhost:8088", TOKEN, TOKEN)).isEmpty();
        assertThat(ActionGuard.check(true, null, "http://localhost:8088/batch", "localhost:8088", TOKEN, TOKEN))
                .isEmpty();
        assertThat(ActionGuard.check(true, null, null, "localhost:8088", TOKEN, TOKEN)).isEmpty();
    }

    @Test
    void otherOriginIsRefusedEvenWithTheToken() {
        Optional<ApiResponse> refused = ActionGuard.check(true, "http://evil.example", null, "localhost:8088", TOKEN,
                TOKEN);
        assertThat(refused).get().extracting(ApiResponse::status).isEqualTo(403);
        assertThat(refused.get().body().get("error").asText()).contains("evil.example");
        assertThat(ActionGuard.check(true, null, "http://localhost:9999/x", "localhost:8088", TOKEN, TOKEN))
                .isPresent();
        assertThat(ActionGuard.check(true, "null", null, "localhost:8088", TOKEN, TOKEN)).isPresent();
    }

    @Test
    void missingOrWrongTokenIsRefused() {
        assertThat(ActionGuard.check(true, "http://localhost:8088", null, "localhost:8088", TOKEN, null)).isPresent();
        assertThat(ActionGuard.check(true, "http://localhost:8088", null, "localhost:8088", TOKEN, "guess"))
                .get().satisfies(answer -> assertThat(answer.body().get("error").asText()).contains("CSRF"));
        assertThat(ActionGuard.check(true, "http://localhost:8088", null, "localhost:8088", null, TOKEN)).isPresent();
    }

    @Test
    void sameOriginComparesHostAndPortWithDefaultPorts() {
        assertThat(ActionGuard.sameOrigin("http://localhost", "localhost:80")).isTrue();
        assertThat(ActionGuard.sameOrigin("https://example.org", "example.org")).isTrue();
        assertThat(ActionGuard.sameOrigin("https://example.org", "example.org:80")).isFalse();
        assertThat(ActionGuard.sameOrigin("http://LOCALHOST:8088", "localhost:8088")).isTrue();
        assertThat(ActionGuard.sameOrigin("http://[::1]:8088", "[::1]:8088")).isTrue();
        assertThat(ActionGuard.sameOrigin("http://127.0.0.1:8088", "localhost:8088")).isFalse();
        assertThat(ActionGuard.sameOrigin("file:///tmp/x.html", "localhost:8088")).isFalse();
        assertThat(ActionGuard.sameOrigin("http://localhost:8088", null)).isFalse();
    }

    @Test
    void tokensAreLongAndDifferent() {
        assertThat(ActionGuard.newToken()).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(ActionGuard.newToken());
    }
}

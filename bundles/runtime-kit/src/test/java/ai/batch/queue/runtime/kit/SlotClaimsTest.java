package ai.batch.queue.runtime.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SlotClaimsTest {

    private final SlotClaims claims = new SlotClaims();

    @Test
    void oneSlotForTwoServersIsReportedNamingBoth() {
        assertThat(claims.claim("box", URI.create("http://gpu-1:11434"), "configuration a")).isEmpty();

        assertThat(claims.claim("box", URI.create("http://gpu-2:11434/"), "configuration b")).hasValueSatisfying(
                warning -> assertThat(warning).contains("Slot 'box'", "configuration a (http://gpu-1:11434)",
                        "configuration b (http://gpu-2:11434)", "ai.batch.slot"));
    }

    @Test
    void twoConfigurationsOfOneServerShareItsSlotSilently() {
        claims.claim("ollama@gpu:11434", URI.create("http://gpu:11434"), "configuration vision");

        assertThat(claims.claim("ollama@gpu:11434", URI.create("http://GPU:11434/"), "configuration text")).isEmpty();
    }

    @Test
    void theWarningShowsNoLoginOrQuery() {
        claims.claim("box", URI.create("http://gpu-1:11434"), "configuration a");

        assertThat(claims.claim("box", URI.create("http://u:pw-secret@gpu-2:11434/?token=t0k"), "configuration b"))
                .hasValueSatisfying(warning -> assertThat(warning).doesNotContain("pw-secret", "t0k"));
    }

    @Test
    void aReleasedClaimNoLongerClashes() {
        claims.claim("box", URI.create("http://gpu-1:11434"), "configuration a");
        claims.release("box", "configuration a");

        assertThat(claims.claim("box", URI.create("http://gpu-2:11434"), "configuration b")).isEmpty();
    }

    @Test
    void aConfigurationClaimingAgainReplacesItsOwnClaim() {
        claims.claim("box", URI.create("http://gpu-1:11434"), "configuration a");

        assertThat(claims.claim("box", URI.create("http://gpu-2:11434"), "configuration a")).isEmpty();
        assertThat(claims.claim("box", URI.create("http://gpu-2:11434"), "configuration b")).isEmpty();
    }

    @Test
    void aConfigurationIsNamedByItsPid() {
        assertThat(SlotClaims.owner(Map.of("service.pid", "ai.batch.queue.ollama~gpu1", "component.id", 7L)))
                .isEqualTo("configuration ai.batch.queue.ollama~gpu1");
        assertThat(SlotClaims.owner(Map.of("component.id", 7L))).isEqualTo("component 7");
        assertThat(SlotClaims.owner(Map.of())).isEqualTo("a configuration");
    }
}

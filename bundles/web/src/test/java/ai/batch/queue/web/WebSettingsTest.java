package ai.batch.queue.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** Defaults and checks of configuration PID ai.batch.queue.web. */
class WebSettingsTest {

    private static WebSettings settings(Map<String, Object> properties) {
        return WebSettings.from(Converters.standardConverter().convert(properties).to(WebConfig.class));
    }

    @Test
    void defaultsAreReadOnlyAtBatch() {
        assertThat(settings(Map.of())).isEqualTo(WebSettings.DEFAULTS);
        assertThat(WebSettings.DEFAULTS.minFrameIntervalNanos()).isEqualTo(100_000_000L);
    }

    @Test
    void keysAreReadWithTheirDots() {
        WebSettings settings = settings(Map.of("path", "/ops/queue", "actions.enabled", true, "sse.maxRate", 2.5,
                "sse.clientBuffer", 8, "sse.heartbeatMs", 500L));
        assertThat(settings.path()).isEqualTo("/ops/queue");
        assertThat(settings.actionsEnabled()).isTrue();
        assertThat(settings.minFrameIntervalNanos()).isEqualTo(400_000_000L);
        assertThat(settings.clientBuffer()).isEqualTo(8);
        assertThat(settings.heartbeatMs()).isEqualTo(500);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> settings(Map.of("path", "batch"))).hasMessageContaining("path");
        assertThatThrownBy(() -> settings(Map.of("path", "/batch/"))).hasMessageContaining("path");
        assertThatThrownBy(() -> settings(Map.of("path", "/a\"b"))).hasMessageContaining("path");
        assertThatThrownBy(() -> settings(Map.of("sse.maxRate", 0))).hasMessageContaining("sse.maxRate");
        assertThatThrownBy(() -> settings(Map.of("sse.clientBuffer", 0))).hasMessageContaining("sse.clientBuffer");
        assertThatThrownBy(() -> settings(Map.of("sse.replayBuffer", 0))).hasMessageContaining("sse.replayBuffer");
        assertThatThrownBy(() -> settings(Map.of("sse.heartbeatMs", 10))).hasMessageContaining("sse.heartbeatMs");
        assertThatThrownBy(() -> settings(Map.of("history.size", 0))).hasMessageContaining("history.size");
        assertThatThrownBy(() -> settings(Map.of("sse.maxClients", 0))).hasMessageContaining("sse.maxClients");
        assertThatThrownBy(() -> settings(Map.of("allowedHosts", new String[] {"http://x.example/"})))
                .hasMessageContaining("allowedHosts");
        assertThatThrownBy(() -> settings(Map.of("allowedHosts", "x.example:99999")))
                .hasMessageContaining("allowedHosts");
    }

    @Test
    void allowedHostsAndTheStreamLimitAreRead() {
        assertThat(WebSettings.DEFAULTS.allowedHosts()).isEmpty();
        assertThat(WebSettings.DEFAULTS.maxClients()).isEqualTo(32);
        WebSettings settings = settings(Map.of("allowedHosts",
                new String[] {" Queue.Example.org ", "", "[fd00::1]:8088"}, "sse.maxClients", 4));
        assertThat(settings.allowedHosts()).containsExactly("queue.example.org", "[fd00::1]:8088");
        assertThat(settings.maxClients()).isEqualTo(4);
    }
}

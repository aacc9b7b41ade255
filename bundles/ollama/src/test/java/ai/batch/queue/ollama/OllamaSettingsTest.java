package ai.batch.queue.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

import com.fasterxml.jackson.databind.ObjectMapper;

class OllamaSettingsTest {

    private final ObjectMapper json = new ObjectMapper();

    private OllamaSettings settings(Map<String, Object> props) {
        return OllamaSettings.from(Converters.standardConverter().convert(props).to(OllamaConfig.class), props, json);
    }

    private static Map<String, Object> props(Object... pairs) {
        Map<String, Object> props = new HashMap<>();
        props.put("ai.batch.resource", new String[] { "llava:13b" });
        for (int i = 0; i < pairs.length; i += 2) {
            props.put((String) pairs[i], pairs[i + 1]);
        }
        return props;
    }

    @Test
    void defaultsPointAtALocalServer() {
        OllamaSettings settings = settings(props());

        assertThat(settings.baseUri()).hasToString("http://127.0.0.1:11434");
        assertThat(settings.models()).containsExactly("llava:13b");
        assertThat(settings.keepAlive()).isEqualTo("5m");
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.options().isEmpty()).isTrue();
        assertThat(settings.maxResponseBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(settings.prompts()).containsKeys("generate", "caption", "tag");
    }

    @Test
    void aSingleModelNameIsEnoughAndPromptKeysAddOperations() {
        OllamaSettings settings = settings(props("ai.batch.resource", "moondream", "prompt.describe",
                "Describe {input} in detail.", "baseUrl", "http://gpu-box:11434/"));

        assertThat(settings.models()).containsExactly("moondream");
        assertThat(settings.prompts()).containsEntry("describe", "Describe {input} in detail.");
        assertThat(settings.baseUri()).hasToString("http://gpu-box:11434");
    }

    @Test
    void keepAliveTakesGoDurationsAndSecondsAndSendsSecondsAsANumber() {
        assertThat(settings(props("keepAlive", "1h30m")).keepAliveJson(json).isTextual()).isTrue();
        assertThat(settings(props("keepAlive", "-1")).keepAliveJson(json).asInt()).isEqualTo(-1);
        assertThat(settings(props("keepAlive", "300")).keepAliveJson(json).isNumber()).isTrue();
    }

    @Test
    void badValuesAreRejectedNamingTheirKey() {
        Map<String, Object> noModels = props();
        noModels.remove("ai.batch.resource");
        assertThatThrownBy(() -> settings(noModels)).hasMessageContaining("ai.batch.resource");
        assertThatThrownBy(() -> settings(props("ai.batch.resource", "*"))).hasMessageContaining("ai.batch.resource");
        assertThatThrownBy(() -> settings(props("keepAlive", "five minutes"))).hasMessageContaining("keepAlive");
        assertThatThrownBy(() -> settings(props("options", "{num_ctx: 1"))).hasMessageContaining("options");
        assertThatThrownBy(() -> settings(props("options", "[1]"))).hasMessageContaining("options");
        assertThatThrownBy(() -> settings(props("baseUrl", "ftp://host"))).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> settings(props("requestTimeoutMs", "0"))).hasMessageContaining("requestTimeoutMs");
        assertThatThrownBy(() -> settings(props("capacity", "0"))).hasMessageContaining("capacity");
        assertThatThrownBy(() -> settings(props("maxResponseBytes", "10"))).hasMessageContaining("maxResponseBytes");
    }

    @Test
    void aBaseUrlWithALoginIsRefusedWithoutShowingThePassword() {
        assertThatThrownBy(() -> settings(props("baseUrl", "http://admin:s3cret@gpu-box:11434")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> settings(props("baseUrl", "ftp://admin:s3cret@gpu-box")))
                .hasMessageContaining("baseUrl").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> settings(props("baseUrl", "http://admin:s3cret@gpu box")))
                .hasMessageContaining("baseUrl").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> settings(props("baseUrl", "http://gpu-box:11434/?token=s3cret")))
                .hasMessageContaining("baseUrl").hasMessageNotContaining("s3cret");
    }

    @Test
    void keepAliveFollowsOllamasRulesAndABareNumberIsSentAsSeconds() {
        assertThat(settings(props("keepAlive", "1.5")).keepAliveJson(json).isNumber()).isTrue();
        assertThat(settings(props("keepAlive", "1.5")).keepAliveJson(json).asDouble()).isEqualTo(1.5);
        assertThat(settings(props("keepAlive", "1h2m3.5s")).keepAliveJson(json).asText()).isEqualTo("1h2m3.5s");
        assertThat(settings(props("keepAlive", "-1m")).keepAliveJson(json).asText()).isEqualTo("-1m");
        assertThat(settings(props("keepAlive", ".5h")).keepAliveJson(json).isTextual()).isTrue();
        assertThat(settings(props("keepAlive", "0")).keepAliveJson(json).asInt()).isZero();
        for (String bad : new String[] {"5x", "1.5.5s", "m", "5 m", "", "1e3"}) {
            assertThatThrownBy(() -> settings(props("keepAlive", bad))).as(bad).hasMessageContaining("keepAlive");
        }
    }
}

package ai.batch.queue.openai;

import static ai.batch.queue.openai.TestSupport.config;
import static ai.batch.queue.openai.TestSupport.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiSettingsTest {

    @Test
    void readsEveryKeyAndHidesTheApiKey() {
        OpenAiSettings settings = OpenAiSettings.from(convert(config("http://127.0.0.1:8080/v1/",
                ".apiKey", "sk-secret", "ai.batch.resource", new String[] {"qwen", " gemma "},
                "request.timeout.ms", 5_000L, "response.maxBytes", 1024L, "prompt.caption", "Caption: {prompt}",
                "body.options", "{\"temperature\":0}", "ai.batch.batchSize", 32, "lifecycle", "AUTO")));

        assertThat(settings.baseUrl()).hasToString("http://127.0.0.1:8080/v1");
        assertThat(settings.serverRoot()).hasToString("http://127.0.0.1:8080");
        assertThat(settings.apiKey()).isEqualTo("sk-secret");
        assertThat(settings.models()).containsExactly("qwen", "gemma");
        assertThat(settings.requestTimeout().toMillis()).isEqualTo(5_000);
        assertThat(settings.maxResponseBytes()).isEqualTo(1024);
        assertThat(settings.prompts()).containsEntry("caption", "Caption: {prompt}");
        assertThat(settings.bodyOptions().path("temperature").asInt()).isZero();
        assertThat(settings.embedBatchSize()).isEqualTo(32);
        assertThat(settings.lifecycle()).isEqualTo(OpenAiSettings.LifecycleMode.AUTO);
        assertThat(settings.slot()).contains("openai@127.0.0.1:8080");
        assertThat(settings.toString()).doesNotContain("sk-secret").contains("api key set", "openai@127.0.0.1:8080");
    }

    @Test
    void defaultsApplyWhereTheConfigurationIsSilent() {
        OpenAiSettings settings = OpenAiSettings.from(convert(Map.of("ai.batch.resource", "qwen")));

        assertThat(settings.baseUrl()).hasToString("http://127.0.0.1:8080/v1");
        assertThat(settings.apiKey()).isEmpty();
        assertThat(settings.maxResponseBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(settings.embedBatchSize()).isEqualTo(16);
        assertThat(settings.lifecycle()).isEqualTo(OpenAiSettings.LifecycleMode.AUTO);
        assertThat(settings.routerCapacity()).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "baseUrl            | ftp://host/v1           | baseUrl must be an http or https URL",
        "baseUrl            | http://user:pw@host/v1  | baseUrl must not carry credentials",
        "baseUrl            | http://host/v1?x=1      | baseUrl must not have a query",
        "request.timeout.ms | 0                       | request.timeout.ms must be above 0",
        "response.maxBytes  | -1                      | response.maxBytes must be above 0",
        "body.options       | [1,2]                   | body.options must be a JSON object",
        "body.options       | {oops                   | body.options is not valid JSON",
        "ai.batch.batchSize | 0                       | ai.batch.batchSize must be from 1 to 1024",
        "ai.batch.concurrency | 300                   | ai.batch.concurrency must be from 1 to 256",
        "lifecycle          | sometimes               | lifecycle must be 'auto' or 'none'",
        "lifecycle.capacity | 0                       | lifecycle.capacity must be from 1 to 1024",
    })
    void aBadValueIsRefusedNamingItsKey(String key, String value, String message) {
        Map<String, Object> map = config("http://127.0.0.1:8080/v1", key, value);

        assertThatThrownBy(() -> OpenAiSettings.from(convert(map))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void credentialsInTheUrlAreNeverRepeatedInTheError() {
        Map<String, Object> map = config("http://user:hunter2@host/v1");

        assertThatThrownBy(() -> OpenAiSettings.from(convert(map))).message().doesNotContain("hunter2");
    }

    @Test
    void aServerWithoutModelsIsRefused() {
        Map<String, Object> map = config("http://127.0.0.1:8080/v1", "ai.batch.resource", new String[0]);

        assertThatThrownBy(() -> OpenAiSettings.from(convert(map))).hasMessageContaining("ai.batch.resource");
    }
}

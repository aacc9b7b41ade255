package ai.batch.queue.runtime.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlotNamesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://127.0.0.1:11434,              ollama@127.0.0.1:11434",
        "http://127.0.0.1:11434/,             ollama@127.0.0.1:11434",
        "http://GPU-Box.example.com:11434,    ollama@gpu-box.example.com:11434",
        "http://gpu-box,                      ollama@gpu-box:80",
        "https://gpu-box/,                    ollama@gpu-box:443",
        "HTTPS://gpu-box/ollama/,             ollama@gpu-box:443",
        "http://[::1]:11434,                  ollama@[::1]:11434",
        "http://[2001:DB8::7]/,               ollama@[2001:db8::7]:80",
    })
    void theDerivedNameIsTheHostAndPortOfTheUrl(String url, String slot) {
        assertThat(SlotNames.resolve(null, "ollama", URI.create(url))).contains(slot);
        assertThat(SlotNames.resolve("  ", "ollama", URI.create(url))).contains(slot);
    }

    @Test
    void aTrailingSlashOrADefaultPortWrittenOutNamesTheSameSlot() {
        assertThat(SlotNames.derived("openai", URI.create("https://api.example.com/v1/")))
                .isEqualTo(SlotNames.derived("openai", URI.create("https://api.example.com:443/v1")));
    }

    @Test
    void theDerivedNameShowsNoLoginPathOrQuery() {
        String slot = SlotNames.derived("openai",
                URI.create("https://user:s3cret@gw.example.com:8443/tok-a1b2c3/v1?key=k-9#frag"));

        assertThat(slot).isEqualTo("openai@gw.example.com:8443")
                .doesNotContain("user", "s3cret", "tok-a1b2c3", "k-9", "frag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "NONE", " None "})
    void noneDeclaresNoSlot(String configured) {
        assertThat(SlotNames.resolve(configured, "ollama", URI.create("http://h:1"))).isEmpty();
    }

    @Test
    void aConfiguredNameWinsTrimmed() {
        assertThat(SlotNames.resolve(" gpu-box-2 ", "ollama", URI.create("http://h:1"))).contains("gpu-box-2");
        assertThat(SlotNames.resolve("http://gpu-box-2:11434", "ollama", URI.create("http://h:1")))
                .contains("http://gpu-box-2:11434");
    }

    @Test
    void aConfiguredNameWithALoginIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> SlotNames.resolve("http://bob:hunter2@gpu:11434", "ollama", URI.create("http://h:1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ai.batch.slot must not carry a login")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void theIdentityOfAServerKeepsItsPathButNoLoginOrQuery() {
        assertThat(SlotNames.identity(URI.create("HTTP://u:p@Gpu:8080/v1/?k=1"))).isEqualTo("http://gpu:8080/v1");
        assertThat(SlotNames.identity(URI.create("https://gpu"))).isEqualTo("https://gpu:443");
    }
}

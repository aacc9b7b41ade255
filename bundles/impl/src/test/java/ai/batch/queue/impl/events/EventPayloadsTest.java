package ai.batch.queue.impl.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class EventPayloadsTest {

    @Test
    void jsonReadsBackWithEveryValueKindEscapedAndNullsKeptButLeftOutOfTheProperties() throws Exception {
        String awkward = "quote \" backslash \\ newline \n tab \t unicode é 🙂 control \u0001";
        Map<String, Object> properties = EventPayloads.payload().put("text", awkward).put("int", 7)
                .put("long", 9_000_000_000L).put("flag", true).put("missing", null)
                .put("array", new String[] {"a", awkward}).putJson("nested", EventPayloads.payload().put("x", 1))
                .properties();

        JsonNode json = new ObjectMapper().readTree((String) properties.get("json"));
        assertThat(json.get("text").asText()).isEqualTo(awkward);
        assertThat(json.get("int").asInt()).isEqualTo(7);
        assertThat(json.get("long").asLong()).isEqualTo(9_000_000_000L);
        assertThat(json.get("flag").asBoolean()).isTrue();
        assertThat(json.get("missing").isNull()).isTrue();
        assertThat(json.get("array").get(1).asText()).isEqualTo(awkward);
        assertThat(json.get("nested").get("x").asInt()).isEqualTo(1);
        assertThat(properties).doesNotContainKeys("missing", "nested").containsEntry("text", awkward);
        assertThat(properties.keySet()).containsExactlyInAnyOrder("text", "int", "long", "flag", "array", "json");
    }

    @Test
    void aValueThatIsNotPlainIsRefusedByClass() {
        assertThatThrownBy(() -> EventPayloads.payload().put("when", java.time.Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.time.Instant");
    }
}

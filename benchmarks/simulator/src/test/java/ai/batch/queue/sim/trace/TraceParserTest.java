package ai.batch.queue.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.batch.queue.SizeBucket;

class TraceParserTest {

    private static final String MODEL = "{\"type\":\"model\",\"name\":\"llava:13b\",\"loadMs\":2500,"
            + "\"itemMs\":{\"small\":150,\"medium\":250,\"large\":450,\"unknown\":250},\"noise\":0.1,"
            + "\"failureRate\":0.05}";

    private static Trace parse(long seed, String... lines) throws IOException {
        return new TraceParser(seed).parse(new BufferedReader(new StringReader(String.join("\n", lines))), "test");
    }

    @Test
    void readsModelsJobsAndTraceSettings() throws IOException {
        Trace trace = parse(42, "{\"type\":\"trace\",\"name\":\"mine\",\"description\":\"d\",\"retryRounds\":1}", MODEL,
                "{\"type\":\"job\",\"at\":1500,\"model\":\"llava:13b\",\"operation\":\"tag\","
                        + "\"items\":{\"small\":3,\"large\":2}}",
                "{\"type\":\"job\",\"id\":\"j0\",\"at\":0,\"model\":\"llava:13b\",\"operation\":\"caption\","
                        + "\"items\":[\"large\",\"small\"]}");

        assertThat(trace.name()).isEqualTo("mine");
        assertThat(trace.retryRounds()).isEqualTo(1);
        ModelSpec model = trace.models().get("llava:13b");
        assertThat(model.loadMs()).isEqualTo(2500);
        assertThat(model.meanItemMs(SizeBucket.LARGE)).isEqualTo(450);
        assertThat(model.noise()).isEqualTo(0.1);
        assertThat(model.failureRate()).isEqualTo(0.05);
        assertThat(trace.jobs()).extracting(JobSpec::id).containsExactly("j0", "job-1"); // sorted by arrival
        assertThat(trace.jobs().get(0).items()).containsExactly(SizeBucket.LARGE, SizeBucket.SMALL);
        assertThat(trace.jobs().get(1).items()).hasSize(5)
                .containsOnly(SizeBucket.SMALL, SizeBucket.LARGE)
                .filteredOn(bucket -> bucket == SizeBucket.LARGE).hasSize(2);
    }

    @Test
    void itemCountsAreShuffledTheSameWayForTheSameSeed() throws IOException {
        String job = "{\"type\":\"job\",\"at\":0,\"model\":\"llava:13b\",\"operation\":\"tag\","
                + "\"items\":{\"small\":10,\"medium\":10,\"large\":10}}";
        List<SizeBucket> first = parse(7, MODEL, job).jobs().get(0).items();

        assertThat(parse(7, MODEL, job).jobs().get(0).items()).isEqualTo(first);
        assertThat(first).isNotEqualTo(parse(8, MODEL, job).jobs().get(0).items());
    }

    @Test
    void appliesDefaultsAndSkipsBlankAndCommentLines() throws IOException {
        Trace trace = parse(1, "# a comment", "", "{\"type\":\"model\",\"name\":\"m\",\"loadMs\":0,"
                + "\"itemMs\":{\"unknown\":100}}", "   ", "{\"type\":\"job\",\"at\":0,\"model\":\"m\","
                        + "\"operation\":\"tag\",\"items\":{\"unknown\":1}}");

        assertThat(trace.name()).isEqualTo("test");
        assertThat(trace.retryRounds()).isEqualTo(TraceParser.DEFAULT_RETRY_ROUNDS);
        assertThat(trace.models().get("m").noise()).isEqualTo(TraceParser.DEFAULT_NOISE);
        assertThat(trace.models().get("m").failureRate()).isZero();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"type\":\"job\" | not valid JSON",
        "[1,2] | expected a JSON object",
        "{\"type\":\"model\"} {} | not valid JSON",
        "{\"type\":\"task\"} | unknown type 'task'",
        "{\"kind\":\"job\"} | missing field 'type'",
        "{\"type\":\"job\",\"at\":0,\"model\":\"llava:13b\",\"operation\":\"tag\",\"items\":{\"small\":1},\"prio\":1}"
                + " | unknown field 'prio'",
        "{\"type\":\"job\",\"at\":-5,\"model\":\"llava:13b\",\"operation\":\"tag\",\"items\":{\"small\":1}}"
                + " | 'at' must be at least 0",
        "{\"type\":\"job\",\"at\":1.5,\"model\":\"llava:13b\",\"operation\":\"tag\",\"items\":{\"small\":1}}"
                + " | 'at' must be a whole number",
        "{\"type\":\"job\",\"at\":0,\"model\":\"qwen\",\"operation\":\"tag\",\"items\":{\"small\":1}}"
                + " | unknown model 'qwen'",
        "{\"type\":\"job\",\"at\":0,\"model\":\"llava:13b\",\"items\":{\"small\":1}} | missing field 'operation'",
        "{\"type\":\"job\",\"at\":0,\"model\":\"llava:13b\",\"operation\":\"tag\",\"items\":{\"huge\":1}}"
                + " | unknown size 'huge'",
        "{\"type\":\"job\",\"at\":0,\"model\":\"llava:13b\",\"operation\":\"tag\",\"items\":{\"small\":0}}"
                + " | at least one item",
        "{\"type\":\"job\",\"at\":0,\"model\":\"llava:13b\",\"operation\":\"tag\",\"items\":3}"
                + " | 'items' must be an object",
        "{\"type\":\"model\",\"name\":\"llava:13b\",\"loadMs\":1,\"itemMs\":{\"small\":1}}"
                + " | declared twice",
        "{\"type\":\"model\",\"name\":\"m\",\"loadMs\":1,\"itemMs\":{\"small\":0}} | 'itemMs.small' must be at"
                + " least 1",
        "{\"type\":\"model\",\"name\":\"m\",\"loadMs\":1,\"itemMs\":{}} | 'itemMs' must be an object",
        "{\"type\":\"model\",\"name\":\"m\",\"loadMs\":1,\"itemMs\":{\"small\":1},\"noise\":1} | 'noise' must be",
        "{\"type\":\"model\",\"name\":\"m\",\"loadMs\":1,\"itemMs\":{\"small\":1},\"failureRate\":\"x\"}"
                + " | 'failureRate' must be",
        "{\"type\":\"trace\",\"retryRounds\":-1} | 'retryRounds' must be at least 0",
    })
    void rejectsABadLineNamingItsNumber(String badLine, String expected) {
        assertThatThrownBy(() -> parse(1, "# models first", MODEL, badLine))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageStartingWith("line 3: ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(((TraceFormatException) e).line()).isEqualTo(3));
    }

    @Test
    void rejectsAJobWhoseModelHasNoTimeForItsSize() {
        assertThatThrownBy(() -> parse(1, "{\"type\":\"model\",\"name\":\"m\",\"loadMs\":0,\"itemMs\":{\"small\":5}}",
                "{\"type\":\"job\",\"at\":0,\"model\":\"m\",\"operation\":\"tag\",\"items\":[\"large\"]}"))
                .hasMessage("line 2: model 'm' has no itemMs for large");
    }

    @Test
    void rejectsASecondTraceLineAndAReusedJobId() {
        assertThatThrownBy(() -> parse(1, "{\"type\":\"trace\"}", "{\"type\":\"trace\"}"))
                .hasMessage("line 2: a second trace line");
        String job = "{\"type\":\"job\",\"id\":\"a\",\"at\":0,\"model\":\"llava:13b\",\"operation\":\"tag\","
                + "\"items\":[\"small\"]}";
        assertThatThrownBy(() -> parse(1, MODEL, job, job)).hasMessage("line 3: job id 'a' is used twice");
    }

    @Test
    void rejectsATraceWithoutJobs() {
        assertThatThrownBy(() -> parse(1, MODEL, "# no jobs")).hasMessage("line 2: the trace has no job lines");
    }
}

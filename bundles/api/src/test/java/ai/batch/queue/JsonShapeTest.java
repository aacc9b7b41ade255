package ai.batch.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON shape of the value types with a plain ObjectMapper, as the seed's frontend expects it. */
class JsonShapeTest {

    /** A caller data type other than String, to check that generic data survives a round trip. */
    public record Photo(String path, int width, int height) {
    }

    private static final Instant CREATED = Instant.parse("2026-11-26T07:21:34.123Z");
    private static final Instant STARTED = Instant.parse("2026-11-26T07:21:35Z");
    private static final Instant COMPLETED = Instant.parse("2026-11-26T07:22:00.500Z");

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void pendingItemHasSeedKeysInOrderWithNullsWritten() throws Exception {
        BatchItem<String> item = BatchItem.of("img-1", "/photos/cat.jpg", SizeBucket.MEDIUM);

        assertThat(mapper.writeValueAsString(item)).isEqualTo(
                "{\"id\":\"img-1\",\"data\":\"/photos/cat.jpg\",\"status\":\"pending\",\"error\":null,"
                        + "\"durationMs\":null,\"sizeBucket\":\"medium\",\"output\":null}");
    }

    @Test
    void finishedItemWritesErrorDurationAndOutput() throws Exception {
        BatchItem<String> failed = BatchItem.of("img-2", "/photos/dog.jpg", SizeBucket.SMALL)
                .withState(BatchItemStatus.FAILED, "model crashed", 1234L, null);
        BatchItem<String> done = BatchItem.of("img-3", "/photos/sun.jpg", SizeBucket.LARGE)
                .withState(BatchItemStatus.COMPLETED, null, 99L, "tags: cat, sunset");

        assertThat(mapper.writeValueAsString(failed)).isEqualTo(
                "{\"id\":\"img-2\",\"data\":\"/photos/dog.jpg\",\"status\":\"failed\",\"error\":\"model crashed\","
                        + "\"durationMs\":1234,\"sizeBucket\":\"small\",\"output\":null}");
        assertThat(mapper.writeValueAsString(done)).isEqualTo(
                "{\"id\":\"img-3\",\"data\":\"/photos/sun.jpg\",\"status\":\"completed\",\"error\":null,"
                        + "\"durationMs\":99,\"sizeBucket\":\"large\",\"output\":\"tags: cat, sunset\"}");
    }

    @Test
    void newJobHasEmptyIdQueuedStatusAndNullTimestamps() throws Exception {
        BatchJob<String> job = BatchJob.of("llava:13b", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("img-1", "/photos/cat.jpg", SizeBucket.MEDIUM)));

        assertThat(mapper.writeValueAsString(job)).isEqualTo(
                "{\"id\":\"\",\"resourceKey\":\"llava:13b\",\"operation\":\"tag\",\"overwritePolicy\":\"skip\","
                        + "\"items\":[{\"id\":\"img-1\",\"data\":\"/photos/cat.jpg\",\"status\":\"pending\","
                        + "\"error\":null,\"durationMs\":null,\"sizeBucket\":\"medium\",\"output\":null}],"
                        + "\"status\":\"queued\",\"createdAt\":null,\"startedAt\":null,\"completedAt\":null,"
                        + "\"reordered\":false,\"reorderNote\":null}");
    }

    @Test
    void jobKeysAreExactlyTheSeedsInOrder() throws Exception {
        JsonNode node = mapper.readTree(mapper.writeValueAsString(finishedJob("/photos/cat.jpg")));

        assertThat(fieldNames(node)).containsExactly("id", "resourceKey", "operation", "overwritePolicy", "items",
                "status", "createdAt", "startedAt", "completedAt", "reordered", "reorderNote");
        assertThat(fieldNames(node.get("items").get(0))).containsExactly("id", "data", "status", "error",
                "durationMs", "sizeBucket", "output");
    }

    @Test
    void jobTimestampsAreRfc3339Strings() throws Exception {
        JsonNode node = mapper.readTree(mapper.writeValueAsString(finishedJob("/photos/cat.jpg")));

        assertThat(node.get("createdAt").isTextual()).isTrue();
        assertThat(node.get("createdAt").asText()).isEqualTo("2026-11-26T07:21:34.123Z");
        assertThat(node.get("startedAt").asText()).isEqualTo("2026-11-26T07:21:35Z");
        assertThat(node.get("completedAt").asText()).isEqualTo("2026-11-26T07:22:00.500Z");
        for (String key : List.of("createdAt", "startedAt", "completedAt")) {
            String text = node.get(key).asText();
            assertThat(text).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
            assertThat(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant())
                    .isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void finishedJobWritesEveryFieldWithSeedValues() throws Exception {
        JsonNode node = mapper.readTree(mapper.writeValueAsString(finishedJob("/photos/cat.jpg")));

        assertThat(node.get("id").asText()).isEqualTo("job-1");
        assertThat(node.get("overwritePolicy").asText()).isEqualTo("overwrite");
        assertThat(node.get("status").asText()).isEqualTo("completedWithErrors");
        assertThat(node.get("reordered").isBoolean()).isTrue();
        assertThat(node.get("reordered").asBoolean()).isTrue();
        assertThat(node.get("reorderNote").asText()).isEqualTo("moved ahead");
        assertThat(node.get("items")).hasSize(2);
    }

    @Test
    void summaryHasSeedKeysInOrder() throws Exception {
        BatchCompletionSummary summary = BatchCompletionSummary.of(finishedJob("/photos/cat.jpg"));

        assertThat(mapper.writeValueAsString(summary)).isEqualTo(
                "{\"jobId\":\"job-1\",\"operation\":\"tag\",\"resourceKey\":\"llava:13b\",\"total\":2,"
                        + "\"succeeded\":1,\"failed\":1,\"skipped\":0,\"totalDurationMs\":300,"
                        + "\"avgDurationMs\":150}");
    }

    @Test
    void itemStatusWireNames() throws Exception {
        assertWireNames(Map.of(BatchItemStatus.PENDING, "pending", BatchItemStatus.RUNNING, "running",
                BatchItemStatus.COMPLETED, "completed", BatchItemStatus.FAILED, "failed",
                BatchItemStatus.SKIPPED, "skipped", BatchItemStatus.CANCELLED, "cancelled"),
                BatchItemStatus.values().length, BatchItemStatus.class);
    }

    @Test
    void jobStatusWireNames() throws Exception {
        assertWireNames(Map.of(BatchJobStatus.QUEUED, "queued", BatchJobStatus.RUNNING, "running",
                BatchJobStatus.COMPLETED, "completed", BatchJobStatus.COMPLETED_WITH_ERRORS, "completedWithErrors",
                BatchJobStatus.CANCELLED, "cancelled"), BatchJobStatus.values().length, BatchJobStatus.class);
    }

    @Test
    void overwritePolicyWireNames() throws Exception {
        assertWireNames(Map.of(OverwritePolicy.SKIP, "skip", OverwritePolicy.OVERWRITE, "overwrite"),
                OverwritePolicy.values().length, OverwritePolicy.class);
    }

    @Test
    void sizeBucketWireNames() throws Exception {
        assertWireNames(Map.of(SizeBucket.SMALL, "small", SizeBucket.MEDIUM, "medium", SizeBucket.LARGE, "large",
                SizeBucket.UNKNOWN, "unknown"), SizeBucket.values().length, SizeBucket.class);
    }

    @Test
    void unknownWireNameIsRejected() {
        assertThatThrownBy(() -> BatchItemStatus.fromWireName("PENDING"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PENDING");
        assertThatThrownBy(() -> BatchJobStatus.fromWireName("completed_with_errors"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OverwritePolicy.fromWireName("Skip"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SizeBucket.fromWireName("huge")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mapper.readValue("\"huge\"", SizeBucket.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void jobOfStringsRoundTrips() throws Exception {
        BatchJob<String> job = finishedJob("/photos/cat.jpg");

        BatchJob<String> back = mapper.readValue(mapper.writeValueAsString(job),
                new TypeReference<BatchJob<String>>() { });

        assertThat(back).isEqualTo(job);
        assertThat(back.createdAt()).isEqualTo(CREATED);
        assertThat(back.items().get(0).data()).isEqualTo("/photos/cat.jpg");
    }

    @Test
    void newJobRoundTripsWithEmptyIdAndNullTimestamps() throws Exception {
        BatchJob<String> job = BatchJob.of("moondream", "caption", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.UNKNOWN)));

        BatchJob<String> back = mapper.readValue(mapper.writeValueAsString(job),
                new TypeReference<BatchJob<String>>() { });

        assertThat(back).isEqualTo(job);
        assertThat(back.id()).isEmpty();
        assertThat(back.createdAt()).isNull();
    }

    @Test
    void jobOfRecordDataRoundTripsToRecords() throws Exception {
        BatchJob<Photo> job = finishedJob(new Photo("/photos/cat.jpg", 1920, 1080));

        BatchJob<Photo> back = mapper.readValue(mapper.writeValueAsString(job),
                new TypeReference<BatchJob<Photo>>() { });

        assertThat(back.items().get(0).data()).isInstanceOf(Photo.class);
        assertThat(back).isEqualTo(job);
    }

    @Test
    void itemOfRecordDataRoundTrips() throws Exception {
        BatchItem<Photo> item = BatchItem.of("p", new Photo("/a.jpg", 10, 20), SizeBucket.SMALL)
                .withState(BatchItemStatus.COMPLETED, null, 5L, "ok");

        BatchItem<Photo> back = mapper.readValue(mapper.writeValueAsString(item),
                new TypeReference<BatchItem<Photo>>() { });

        assertThat(back).isEqualTo(item);
    }

    @Test
    void summaryRoundTrips() throws Exception {
        BatchCompletionSummary summary = BatchCompletionSummary.of(finishedJob("x"));

        assertThat(mapper.readValue(mapper.writeValueAsString(summary), BatchCompletionSummary.class))
                .isEqualTo(summary);
    }

    @Test
    void jobReadFromSeedShapedJsonHasAllFields() throws Exception {
        String json = "{\"id\":\"j9\",\"resourceKey\":\"llava:13b\",\"operation\":\"tag\",\"overwritePolicy\":\"skip\","
                + "\"items\":[{\"id\":\"i\",\"data\":\"d\",\"status\":\"cancelled\",\"error\":null,\"durationMs\":null,"
                + "\"sizeBucket\":\"unknown\",\"output\":null}],\"status\":\"cancelled\","
                + "\"createdAt\":\"2026-01-02T03:04:05Z\",\"startedAt\":null,"
                + "\"completedAt\":\"2026-01-02T03:04:06.007Z\",\"reordered\":false,\"reorderNote\":null}";

        BatchJob<String> job = mapper.readValue(json, new TypeReference<BatchJob<String>>() { });

        assertThat(job.id()).isEqualTo("j9");
        assertThat(job.overwritePolicy()).isEqualTo(OverwritePolicy.SKIP);
        assertThat(job.status()).isEqualTo(BatchJobStatus.CANCELLED);
        assertThat(job.items().get(0).status()).isEqualTo(BatchItemStatus.CANCELLED);
        assertThat(job.items().get(0).sizeBucket()).isEqualTo(SizeBucket.UNKNOWN);
        assertThat(job.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(job.startedAt()).isNull();
        assertThat(job.completedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:06.007Z"));
        assertThat(mapper.writeValueAsString(job)).isEqualTo(json);
    }

    private static <D> BatchJob<D> finishedJob(D data) {
        List<BatchItem<D>> items = List.of(
                BatchItem.of("img-1", data, SizeBucket.LARGE).withState(BatchItemStatus.COMPLETED, null, 100L,
                        "tags: cat"),
                BatchItem.of("img-2", data, SizeBucket.SMALL).withState(BatchItemStatus.FAILED, "boom", 200L,
                        null));
        return BatchJob.restore("job-1", "llava:13b", "tag", OverwritePolicy.OVERWRITE, items,
                BatchJobStatus.COMPLETED_WITH_ERRORS, CREATED, STARTED, COMPLETED, true, "moved ahead");
    }

    private <E extends Enum<E>> void assertWireNames(Map<E, String> expected, int constants, Class<E> type)
            throws Exception {
        assertThat(expected).hasSize(constants);
        for (Map.Entry<E, String> entry : expected.entrySet()) {
            assertThat(mapper.writeValueAsString(entry.getKey())).isEqualTo("\"" + entry.getValue() + "\"");
            assertThat(mapper.readValue("\"" + entry.getValue() + "\"", type)).isEqualTo(entry.getKey());
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}

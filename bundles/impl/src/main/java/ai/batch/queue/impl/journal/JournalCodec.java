package ai.batch.queue.impl.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.JobPriority;
import ai.batch.queue.impl.core.Change;
import ai.batch.queue.impl.core.ChangeVisitor;
import ai.batch.queue.impl.notify.QueueListener.QueuedCause;

/**
 * One change per JSON line: {@code {"v":1,"seq":…,"op":"…","at":"…",…}}. An enqueued job is written whole
 * (items with their data) with the class name of its data ({@code dataType}, and {@code itemTypes} for items of
 * another class), never with Jackson's default typing.
 */
final class JournalCodec {

    static final int VERSION = 1;
    private static final TypeReference<BatchJob<JsonNode>> JOB_OF_JSON = new TypeReference<>() {
    };

    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @throws IllegalArgumentException if the change (e.g. an item's data) cannot be written as JSON
     */
    byte[] encode(long seq, Change change) {
        return encode(seq, change, null);
    }

    /**
     * As {@link #encode(long, Change)}; {@code restoredDataType} names the class of an enqueued job's data that
     * is held as JSON after a restore (so that it is recorded as that class, not as JSON).
     */
    byte[] encode(long seq, Change change, String restoredDataType) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        try (JsonGenerator line = mapper.getFactory().createGenerator(bytes)) {
            line.writeStartObject();
            line.writeNumberField("v", VERSION);
            line.writeNumberField("seq", seq);
            line.writeStringField("at", change.at().toString());
            writeChange(line, change, restoredDataType);
            line.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot write the change to the journal: " + e.getMessage(), e);
        }
        bytes.append('\n');
        return bytes.toByteArray();
    }

    /** Writes the fields after {@code at}, with a streaming generator: the item updates are most of the lines. */
    private void writeChange(JsonGenerator line, Change change, String restoredDataType) throws IOException {
        try {
            change.accept(new LineWriter(line, restoredDataType));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** One method per kind of change: a new kind does not compile until it has its journal line. */
    private final class LineWriter implements ChangeVisitor<Void> {

        private final JsonGenerator line;
        private final String restoredDataType;

        LineWriter(JsonGenerator line, String restoredDataType) {
            this.line = line;
            this.restoredDataType = restoredDataType;
        }

        private Void write(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        }

        @Override
        public Void itemUpdated(Change.ItemUpdated item) {
            return write(() -> {
                op(line, "item", item.jobId());
                line.writeStringField("itemId", item.itemId());
                line.writeStringField("status", item.status().wireName());
                line.writeStringField("error", item.error());
                writeLong(line, "durationMs", item.durationMs());
                line.writeStringField("output", item.output());
            });
        }

        @Override
        public Void started(Change.Started started) {
            return write(() -> op(line, "started", started.jobId()));
        }

        @Override
        public Void completed(Change.Completed completed) {
            return write(() -> op(line, "completed", completed.jobId()));
        }

        @Override
        public Void retryScheduled(Change.RetryScheduled retry) {
            return write(() -> {
                op(line, "retryLater", retry.jobId());
                line.writeStringField("itemId", retry.itemId());
                line.writeStringField("error", retry.error());
                writeLong(line, "durationMs", retry.durationMs());
            });
        }

        @Override
        public Void enqueued(Change.Enqueued enqueued) {
            return write(() -> {
                line.writeStringField("op", "enqueued");
                writeJob(line, enqueued.job(), restoredDataType);
            });
        }

        @Override
        public Void jobCancelled(Change.JobCancelled cancelled) {
            return write(() -> op(line, "jobCancelled", cancelled.jobId()));
        }

        @Override
        public Void itemCancelled(Change.ItemCancelled cancelled) {
            return write(() -> {
                op(line, "itemCancelled", cancelled.jobId());
                line.writeStringField("itemId", cancelled.itemId());
            });
        }

        @Override
        public Void retried(Change.Retried retried) {
            return write(() -> op(line, "retried", retried.jobId()));
        }

        @Override
        public Void requeued(Change.Requeued requeued) {
            return write(() -> {
                op(line, "requeued", requeued.jobId());
                line.writeStringField("cause", requeued.cause().name());
            });
        }

        @Override
        public Void pauseChanged(Change.PauseChanged pause) {
            return write(() -> line.writeStringField("op", pause.paused() ? "paused" : "resumed"));
        }

        @Override
        public Void moved(Change.Moved moved) {
            return write(() -> op(line, "moved", moved.jobId()));
        }

        @Override
        public Void priorityChanged(Change.PriorityChanged priority) {
            return write(() -> {
                op(line, "priority", priority.jobId());
                line.writeStringField("priority", priority.priority().wireName());
            });
        }

        @Override
        public Void loadMeasured(Change.LoadMeasured load) {
            return write(() -> {
                line.writeStringField("op", "loadMeasured");
                line.writeStringField("resourceKey", load.resourceKey());
                line.writeNumberField("ms", load.ms());
            });
        }

        @Override
        public Void purged(Change.Purged purged) {
            return write(() -> op(line, "purged", purged.jobId()));
        }

        @Override
        public Void checkpoint(Change.Checkpoint checkpoint) {
            return write(() -> {
                line.writeStringField("op", "checkpoint");
                line.writeFieldName("liveJobIds");
                mapper.writeValue(line, checkpoint.liveJobIds());
                line.writeFieldName("statistics");
                mapper.writeValue(line, checkpoint.statistics());
            });
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void op(JsonGenerator line, String op, String jobId) throws IOException {
        line.writeStringField("op", op);
        line.writeStringField("jobId", jobId);
    }

    private static void writeLong(JsonGenerator line, String field, Long value) throws IOException {
        line.writeFieldName(field);
        if (value == null) {
            line.writeNull();
        } else {
            line.writeNumber(value.longValue());
        }
    }

    private void writeJob(JsonGenerator line, BatchJob<?> job, String restoredDataType) throws IOException {
        String dataType = null;
        Map<String, String> itemTypes = new LinkedHashMap<>();
        for (BatchItem<?> item : job.items()) {
            String type = restoredDataType != null && item.data() instanceof JsonNode ? restoredDataType
                    : DataTypes.nameOf(item.data());
            if (dataType == null && type != null) {
                dataType = type;
            } else if (type != null && !type.equals(dataType)) {
                itemTypes.put(item.id(), type);
            }
        }
        line.writeFieldName("job");
        try {
            mapper.writeValue(line, job);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("The data of job '" + job.id() + "' cannot be written to the journal"
                    + " as JSON (" + e.getMessage() + "); item data must be Jackson-serializable", e);
        }
        line.writeStringField("dataType", dataType);
        if (!itemTypes.isEmpty()) {
            line.writeFieldName("itemTypes");
            mapper.writeValue(line, itemTypes);
        }
    }

    /** A decoded line: the change and, for an enqueued job whose data stays JSON, the recorded type. */
    record Decoded(long seq, Change change, String restoredDataType) {
    }

    /**
     * @throws IllegalArgumentException if the line is not a change of this journal
     */
    Decoded decode(String text) {
        JsonNode line;
        try {
            line = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (line == null || !line.isObject() || line.path("v").asInt() != VERSION || !line.has("seq")
                || !line.has("op") || !line.has("at")) {
            throw new IllegalArgumentException("not a version " + VERSION + " journal record");
        }
        long seq = line.get("seq").asLong();
        Instant at = Instant.parse(line.get("at").asText());
        String jobId = line.path("jobId").asText(null);
        String op = line.get("op").asText();
        return switch (op) {
            case "enqueued" -> decodeJob(seq, at, line);
            case "started" -> new Decoded(seq, new Change.Started(at, jobId), null);
            case "item" -> new Decoded(seq, new Change.ItemUpdated(at, jobId, line.path("itemId").asText(null),
                    BatchItemStatus.fromWireName(line.path("status").asText()), text(line, "error"),
                    line.path("durationMs").isNumber() ? line.get("durationMs").asLong() : null,
                    text(line, "output")), null);
            case "retryLater" -> new Decoded(seq, new Change.RetryScheduled(at, jobId, line.path("itemId").asText(null),
                    text(line, "error"), line.path("durationMs").isNumber() ? line.get("durationMs").asLong() : null),
                    null);
            case "completed" -> new Decoded(seq, new Change.Completed(at, jobId), null);
            case "jobCancelled" -> new Decoded(seq, new Change.JobCancelled(at, jobId), null);
            case "itemCancelled" -> new Decoded(seq, new Change.ItemCancelled(at, jobId,
                    line.path("itemId").asText(null)), null);
            case "retried" -> new Decoded(seq, new Change.Retried(at, jobId), null);
            case "requeued" -> new Decoded(seq, new Change.Requeued(at, jobId,
                    QueuedCause.valueOf(line.path("cause").asText())), null);
            case "paused" -> new Decoded(seq, new Change.PauseChanged(at, true), null);
            case "resumed" -> new Decoded(seq, new Change.PauseChanged(at, false), null);
            case "moved" -> new Decoded(seq, new Change.Moved(at, jobId), null);
            case "priority" -> new Decoded(seq, new Change.PriorityChanged(at, jobId,
                    JobPriority.fromWireName(line.path("priority").asText())), null);
            case "purged" -> new Decoded(seq, new Change.Purged(at, jobId), null);
            case "loadMeasured" -> new Decoded(seq, new Change.LoadMeasured(at, line.path("resourceKey").asText(null),
                    line.path("ms").asLong()), null);
            case "checkpoint" -> new Decoded(seq, new Change.Checkpoint(at,
                    mapper.convertValue(line.get("liveJobIds"), new TypeReference<java.util.LinkedHashSet<String>>() {
                    }), mapper.convertValue(line.get("statistics"), Change.Statistics.class)), null);
            default -> throw new IllegalArgumentException("unknown operation '" + op + "'");
        };
    }

    private Decoded decodeJob(long seq, Instant at, JsonNode line) {
        BatchJob<JsonNode> job = mapper.convertValue(line.get("job"), JOB_OF_JSON);
        String dataType = text(line, "dataType");
        JsonNode itemTypes = line.path("itemTypes");
        List<BatchItem<Object>> items = new ArrayList<>(job.items().size());
        String restoredType = null;
        for (BatchItem<JsonNode> item : job.items()) {
            String type = itemTypes.has(item.id()) ? itemTypes.get(item.id()).asText() : dataType;
            if (!DataTypes.restoresDirectly(type)) {
                restoredType = type;
            }
            items.add(BatchItem.<Object>of(item.id(), DataTypes.restore(mapper, item.data(), type), item.sizeBucket()));
        }
        BatchJob<Object> restored = BatchJob.of(job.resourceKey(), job.operation(), job.overwritePolicy(), items)
                .withId(job.id()).withPriority(job.priority());
        return new Decoded(seq, new Change.Enqueued(at, restored), restoredType);
    }

    /**
     * Whether a journal line must be kept when compacting at a checkpoint: changes of live jobs and pause
     * changes; not the records of jobs that are gone, nor earlier checkpoints.
     */
    boolean keepAtCompaction(String text, java.util.Set<String> liveJobIds) {
        JsonNode line;
        try {
            line = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return false;
        }
        String op = line.path("op").asText();
        if (op.equals("paused") || op.equals("resumed")) {
            return true;
        }
        String jobId = op.equals("enqueued") ? line.path("job").path("id").asText(null) : text(line, "jobId");
        return jobId != null && liveJobIds.contains(jobId) && !op.equals("purged");
    }

    private static String text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}

package ai.batch.queue.sim.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.SizeBucket;

/**
 * Reads a trace in JSON lines: one object per line, blank lines and lines starting with {@code #} ignored.
 *
 * <pre>
 * {"type":"trace","name":"my-session","description":"what it stands for","retryRounds":3}
 * {"type":"model","name":"llava:13b","loadMs":2500,"itemMs":{"small":150,"medium":250,"large":450},"noise":0.2}
 * {"type":"job","at":0,"model":"llava:13b","operation":"tag","items":{"small":3,"large":2}}
 * {"type":"job","id":"j2","at":1500,"model":"llava:13b","operation":"caption","items":["large","small"]}
 * </pre>
 *
 * A {@code trace} line is optional (at most one). A model must be declared before its first job. Item counts are
 * shuffled into a processing order drawn from the seed; an item array keeps its order. Unknown fields, unknown
 * types, bad values and duplicate names are errors naming the line.
 */
public final class TraceParser {

    /** Item-time noise of a model line without {@code noise}. */
    public static final double DEFAULT_NOISE = 0.2;
    /** Retry rounds of a trace without a {@code trace} line. */
    public static final int DEFAULT_RETRY_ROUNDS = 3;

    private static final Set<String> TRACE_FIELDS = Set.of("type", "name", "description", "retryRounds");
    private static final Set<String> MODEL_FIELDS = Set.of("type", "name", "loadMs", "itemMs", "noise",
            "failureRate");
    private static final Set<String> JOB_FIELDS = Set.of("type", "id", "at", "model", "operation", "items");

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final long seed;

    // State of one parse.
    private String name;
    private String description;
    private int retryRounds;
    private boolean sawTraceLine;
    private Map<String, ModelSpec> models;
    private List<JobSpec> jobs;

    /** @param seed orders the items of jobs given as counts */
    public TraceParser(long seed) {
        this.seed = seed;
    }

    public Trace parse(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file + ": " + e.getMessage(), e);
        }
    }

    public Trace parse(BufferedReader reader, String defaultName) throws IOException {
        name = defaultName;
        description = "read from " + defaultName;
        retryRounds = DEFAULT_RETRY_ROUNDS;
        sawTraceLine = false;
        models = new LinkedHashMap<>();
        jobs = new ArrayList<>();
        int lineNumber = 0;
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
            lineNumber++;
            String trimmed = text.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                parseLine(new JsonLine(readObject(trimmed, lineNumber), lineNumber));
            }
        }
        if (jobs.isEmpty()) {
            throw new TraceFormatException(lineNumber, "the trace has no job lines");
        }
        return new Trace(name, description, models, jobs, retryRounds);
    }

    private JsonNode readObject(String text, int lineNumber) {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new TraceFormatException(lineNumber, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new TraceFormatException(lineNumber, "expected a JSON object, was " + node);
        }
        return node;
    }

    private void parseLine(JsonLine line) {
        String type = line.text("type");
        switch (type) {
            case "trace" -> traceLine(line);
            case "model" -> modelLine(line);
            case "job" -> jobLine(line);
            default -> throw line.error("unknown type '" + type + "' (expected trace, model or job)");
        }
    }

    private void traceLine(JsonLine line) {
        line.onlyFields("trace", TRACE_FIELDS);
        if (sawTraceLine) {
            throw line.error("a second trace line");
        }
        sawTraceLine = true;
        name = line.text("name", name);
        description = line.text("description", description);
        retryRounds = (int) Math.min(100, line.wholeNumber("retryRounds", 0, DEFAULT_RETRY_ROUNDS));
    }

    private void modelLine(JsonLine line) {
        line.onlyFields("model", MODEL_FIELDS);
        String model = line.text("name");
        if (models.containsKey(model)) {
            throw line.error("model '" + model + "' is declared twice");
        }
        long loadMs = line.wholeNumber("loadMs", 0);
        Map<SizeBucket, Long> itemMs = itemTimes(line);
        double noise = line.fraction("noise", DEFAULT_NOISE, 1, true);
        double failureRate = line.fraction("failureRate", 0, 1, false);
        models.put(model, new ModelSpec(model, loadMs, itemMs, noise, failureRate));
    }

    private static Map<SizeBucket, Long> itemTimes(JsonLine line) {
        JsonNode node = line.get("itemMs");
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw line.error("'itemMs' must be an object like {\"small\":150,\"medium\":250}, was " + node);
        }
        Map<SizeBucket, Long> times = new EnumMap<>(SizeBucket.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            SizeBucket bucket = bucket(line, entry.getKey());
            if (times.put(bucket, line.wholeNumber("itemMs." + entry.getKey(), entry.getValue(), 1)) != null) {
                throw line.error("'itemMs' names " + entry.getKey() + " twice");
            }
        }
        return times;
    }

    private void jobLine(JsonLine line) {
        line.onlyFields("job", JOB_FIELDS);
        String id = line.text("id", "job-" + (jobs.size() + 1));
        if (jobs.stream().anyMatch(job -> job.id().equals(id))) {
            throw line.error("job id '" + id + "' is used twice");
        }
        long at = line.wholeNumber("at", 0);
        String model = line.text("model");
        ModelSpec spec = models.get(model);
        if (spec == null) {
            throw line.error("unknown model '" + model + "' (declare it on a model line before its jobs)");
        }
        String operation = line.text("operation");
        List<SizeBucket> items = items(line);
        for (SizeBucket bucket : items) {
            if (!spec.handles(bucket)) {
                throw line.error("model '" + model + "' has no itemMs for " + bucket.name().toLowerCase(Locale.ROOT));
            }
        }
        jobs.add(new JobSpec(id, at, model, operation, items));
    }

    private List<SizeBucket> items(JsonLine line) {
        JsonNode node = line.get("items");
        List<SizeBucket> items = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode element : node) {
                if (!element.isTextual()) {
                    throw line.error("'items' array entries must be size names, was " + element);
                }
                items.add(bucket(line, element.asText()));
            }
        } else if (node != null && node.isObject()) {
            Set<SizeBucket> seen = EnumSet.noneOf(SizeBucket.class);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                SizeBucket bucket = bucket(line, entry.getKey());
                if (!seen.add(bucket)) {
                    throw line.error("'items' names " + entry.getKey() + " twice");
                }
                long count = line.wholeNumber("items." + entry.getKey(), entry.getValue(), 0);
                if (count > 100_000) {
                    throw line.error("'items." + entry.getKey() + "' is too large: " + count);
                }
                items.addAll(Collections.nCopies((int) count, bucket));
            }
            Collections.shuffle(items, new Random(seed * 1_000_003L + line.line()));
        } else {
            throw line.error("'items' must be an object of counts like {\"small\":3} or an array of sizes, was "
                    + node);
        }
        if (items.isEmpty()) {
            throw line.error("a job needs at least one item");
        }
        return items;
    }

    private static SizeBucket bucket(JsonLine line, String text) {
        for (SizeBucket bucket : SizeBucket.values()) {
            if (bucket.name().equalsIgnoreCase(text)) {
                return bucket;
            }
        }
        throw line.error("unknown size '" + text + "' (expected small, medium, large or unknown)");
    }
}

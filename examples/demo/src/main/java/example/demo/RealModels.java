package example.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/**
 * The {@code real-models} example: the demo corpus through two real models that run in this JVM (language
 * detection with OpenNLP, sentence embeddings with all-MiniLM-L6-v2), with the queue's progress and ETAs, what
 * loading each model cost, the detected languages against the corpus' own labels, and nearest neighbours.
 */
final class RealModels {

    static final String LANGDETECT = "opennlp-langdetect";
    static final String EMBEDDINGS = "all-minilm-l6-v2";

    private static final long TIMEOUT_SECONDS = 300;
    private static final ObjectMapper VECTORS = new ObjectMapper();
    private static final Pattern DETECTED = Pattern.compile("\\{\"language\":\"([^\"]+)\",\"confidence\":([0-9.]+)}");
    private static final List<String> QUERIES = List.of("The cat is sleeping on the warm windowsill.",
            "Stock markets fell sharply today after the announcement.");

    private RealModels() {
    }

    static int run(BatchQueue queue, Demo.Hooks hooks, PrintStream out, Terminal terminal)
            throws IOException, InterruptedException {
        for (String model : List.of(LANGDETECT, EMBEDDINGS)) {
            if (!hooks.hasHandler(model)) {
                out.println("real-models: no handler for " + model + " here; install the bundles "
                        + "ai.batch.queue.langdetect and ai.batch.queue.embeddings (they are in the demo jar).");
                return 1;
            }
        }
        Corpus corpus = Corpus.load();
        Text.wrap(String.format("real-models: %d sentences in %d languages (%s), two real models running in this"
                + " JVM:", corpus.sentences().size(), corpus.languages(), Corpus.RESOURCE.substring(1)),
                terminal.columns()).forEach(out::println);
        out.printf("  %-19s %-7s %s%n", LANGDETECT, "detect", "OpenNLP language detector, 103 languages, Java");
        out.printf("  %-19s %-7s %s%n", EMBEDDINGS, "embed", "all-MiniLM-L6-v2 sentence embeddings, 384 floats,");
        out.printf("  %-19s %-7s %s%n%n", "", "", "ONNX Runtime, up to 32 sentences per handler call");

        Map<String, Long> loads = load(hooks, out);
        try (Watcher watcher = new Watcher(hooks, out, terminal.columns())) {
            out.printf("Enqueuing %s detect and %s embed, %d texts each.%n", LANGDETECT, EMBEDDINGS,
                    corpus.sentences().size());
            String detect = queue.enqueue(job(LANGDETECT, "detect", corpus));
            String embed = queue.enqueue(job(EMBEDDINGS, "embed", corpus));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            if (!watcher.awaitCompleted(List.of(detect, embed), deadline)) {
                out.println("The jobs did not finish within " + TIMEOUT_SECONDS + " s.");
                return 1;
            }
            out.println();
            loadCosts(queue, List.of(detect, embed), loads, watcher, out);
            languages(queue.getJob(detect).orElseThrow(), corpus, out, terminal.columns());
            neighbours(queue.getJob(embed).orElseThrow(), corpus, out);
        }
        return 0;
    }

    private static BatchJob<String> job(String model, String operation, Corpus corpus) {
        List<BatchItem<String>> items = new ArrayList<>();
        for (Corpus.Sentence sentence : corpus.sentences()) {
            items.add(BatchItem.of(sentence.id(), sentence.text(), SizeBucket.UNKNOWN));
        }
        return BatchJob.of(model, operation, OverwritePolicy.OVERWRITE, items);
    }

    /**
     * Loads each model before its job and times that call, each on its own line. Left to the first item, the load
     * would vanish into the items' times: the embeddings' handler takes 32 items per call and the queue gives each
     * item an even share of the call, so the first item showed a thirty-second of the load.
     *
     * @return the measured load of each model that has a lifecycle service and loaded
     */
    private static Map<String, Long> load(Demo.Hooks hooks, PrintStream out) {
        out.println("Loading each model before its job (ModelLifecycle.load, timed by this example):");
        Map<String, Long> loads = new HashMap<>();
        for (String model : List.of(LANGDETECT, EMBEDDINGS)) {
            try {
                OptionalLong ms = hooks.loadModel(model);
                if (ms.isPresent()) {
                    loads.put(model, ms.getAsLong());
                    out.printf("  %-19s loaded in %d ms%n", model, ms.getAsLong());
                } else {
                    out.printf("  %-19s has no lifecycle service: its first item loads it%n", model);
                }
            } catch (Exception e) {
                out.printf("  %-19s did not load (%s): its first item loads it%n", model, e.getMessage());
            }
        }
        out.println();
        return loads;
    }

    /** What each model's load cost, and what the items cost once it was loaded. */
    private static void loadCosts(BatchQueue queue, List<String> ids, Map<String, Long> loads, Watcher watcher,
            PrintStream out) {
        out.println("What loading each model cost:");
        for (String id : ids) {
            BatchJob<?> job = queue.getJob(id).orElseThrow();
            List<Long> durations = job.items().stream().map(BatchItem::durationMs)
                    .filter(duration -> duration != null).collect(Collectors.toList());
            if (durations.isEmpty()) {
                continue;
            }
            double warm = durations.subList(1, durations.size()).stream().mapToLong(Long::longValue).average()
                    .orElse(0);
            Long loadedHere = loads.get(job.resourceKey());
            Long loadedByQueue = watcher.loadMs(job.resourceKey());
            String load = loadedHere != null ? "load " + loadedHere + " ms (above)"
                    : loadedByQueue != null ? "load " + loadedByQueue + " ms (by the queue)"
                            : "loaded by its first call";
            out.printf(Locale.ROOT, "  %-19s %s; first item %d ms, then %.1f ms/item%n", job.resourceKey(), load,
                    durations.get(0), warm);
        }
        out.println();
    }

    private static void languages(BatchJob<?> job, Corpus corpus, PrintStream out, int columns) {
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        Map<String, Corpus.Sentence> byId = byId(corpus);
        int right = 0;
        List<String> examples = new ArrayList<>();
        for (BatchItem<?> item : job.items()) {
            Corpus.Sentence sentence = byId.get(item.id());
            Matcher output = item.output() == null ? null : DETECTED.matcher(item.output());
            String detected = output != null && output.matches() ? output.group(1) : "failed";
            confusion.computeIfAbsent(sentence.language(), language -> new TreeMap<>()).merge(detected, 1,
                    Integer::sum);
            if (detected.equals(sentence.language())) {
                right++;
            } else if (examples.size() < 3) {
                examples.add(String.format("    \"%s\" (%s) -> %s", sentence.text(), sentence.language(),
                        output != null && output.matches() ? detected + ", confidence " + output.group(2)
                                : item.error()));
            }
        }
        out.println("Detected languages (ISO 639-3) against the corpus' labels:");
        confusion.forEach((language, detected) -> out.printf("  %s  %s%n", language, detected.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", "))));
        out.printf(Locale.ROOT, "  %d of %d right (%.1f %%)%n", right, job.items().size(),
                100.0 * right / job.items().size());
        if (!examples.isEmpty()) {
            out.println("  Missed, for example:");
            examples.forEach(example -> Text.wrap(example, columns).forEach(out::println));
        }
        BatchItem<?> first = job.items().get(0);
        out.printf("  Output of %s: %s%n%n", first.id(), first.output());
    }

    private static void neighbours(BatchJob<?> job, Corpus corpus, PrintStream out) {
        Map<String, float[]> vectors = new LinkedHashMap<>();
        for (BatchItem<?> item : job.items()) {
            if (item.status() == BatchItemStatus.COMPLETED && item.output() != null) {
                vectors.put(item.id(), parse(item.output()));
            }
        }
        Map<String, Corpus.Sentence> byId = byId(corpus);
        out.printf("Nearest neighbours by cosine similarity (%d embeddings of %d floats):%n", vectors.size(),
                vectors.isEmpty() ? 0 : vectors.values().iterator().next().length);
        for (String text : QUERIES) {
            String query = corpus.sentences().stream().filter(sentence -> sentence.text().equals(text))
                    .map(Corpus.Sentence::id).findFirst().orElse(null);
            float[] vector = vectors.get(query);
            if (vector == null) {
                continue;
            }
            out.printf("  \"%s\"%n", text);
            vectors.entrySet().stream().filter(entry -> !entry.getKey().equals(query))
                    .map(entry -> Map.entry(entry.getKey(), dot(vector, entry.getValue())))
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(3)
                    .forEach(entry -> out.printf(Locale.ROOT, "    %.3f  %s%n", entry.getValue(),
                            byId.get(entry.getKey()).text()));
        }
    }

    private static Map<String, Corpus.Sentence> byId(Corpus corpus) {
        Map<String, Corpus.Sentence> byId = new HashMap<>();
        corpus.sentences().forEach(sentence -> byId.put(sentence.id(), sentence));
        return byId;
    }

    private static float[] parse(String json) {
        try {
            return VECTORS.readValue(json, float[].class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Not an embedding: " + json, e);
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum; // the vectors have unit length: this is their cosine
    }

    /** Prints model loads, progress in steps of a tenth with the queue's ETA, and each job's end. */
    private static final class Watcher implements EventHandler, AutoCloseable {
        private final Demo.Subscription subscription;
        private final PrintStream out;
        private final int columns;
        private final Map<String, String> labels = new HashMap<>();
        private final Map<String, Integer> shownTenths = new HashMap<>();
        private final Map<String, Long> startedNanos = new HashMap<>();
        private final Map<String, Long> loadMs = new HashMap<>();
        private final List<String> completed = new ArrayList<>();

        Watcher(Demo.Hooks hooks, PrintStream out, int columns) {
            this.out = out;
            this.columns = columns;
            this.subscription = hooks.subscribe(this);
        }

        @Override
        public synchronized void handleEvent(Event event) {
            String jobId = (String) event.getProperty(BatchEvents.JOB_ID);
            switch (event.getTopic()) {
                case BatchEvents.TOPIC_RESOURCE_SWITCHED -> {
                    Object from = event.getProperty(BatchEvents.FROM_RESOURCE_KEY);
                    Object reason = event.getProperty(BatchEvents.REASON);
                    Text.wrap("  > switching to model " + event.getProperty(BatchEvents.RESOURCE_KEY)
                            + (from == null ? "" : " (from " + from + ")") + (reason == null ? "" : ": " + reason),
                            columns).forEach(out::println);
                }
                case BatchEvents.TOPIC_MODEL_LOADED -> {
                    Object duration = event.getProperty(BatchEvents.DURATION_MS);
                    if (duration instanceof Long ms && event.getProperty(BatchEvents.ERROR) == null) {
                        loadMs.put((String) event.getProperty(BatchEvents.RESOURCE_KEY), ms);
                        Text.wrap("  > the queue loaded " + event.getProperty(BatchEvents.RESOURCE_KEY) + " in "
                                + ms + " ms (" + event.getProperty(BatchEvents.REASON) + ")", columns)
                                .forEach(out::println);
                    }
                }
                case BatchEvents.TOPIC_JOB_STARTED -> {
                    labels.put(jobId, String.format("%-19s %-6s", event.getProperty(BatchEvents.RESOURCE_KEY),
                            event.getProperty(BatchEvents.OPERATION)));
                    startedNanos.put(jobId, System.nanoTime());
                }
                case BatchEvents.TOPIC_ITEM_PROGRESS -> progress(jobId, event);
                case BatchEvents.TOPIC_JOB_COMPLETED -> {
                    double seconds = (System.nanoTime() - startedNanos.getOrDefault(jobId, System.nanoTime())) / 1e9;
                    out.printf(Locale.ROOT, "  * %s %s: %s ok, %s failed in %.1f s%n", labels.get(jobId),
                            event.getProperty(BatchEvents.STATUS), event.getProperty(BatchEvents.SUCCEEDED),
                            event.getProperty(BatchEvents.FAILED), seconds);
                    completed.add(jobId);
                    notifyAll();
                }
                default -> {
                    // not shown
                }
            }
        }

        private void progress(String jobId, Event event) {
            int done = (Integer) event.getProperty(BatchEvents.COMPLETED);
            int total = (Integer) event.getProperty(BatchEvents.TOTAL);
            int tenth = total == 0 ? 10 : done * 10 / total;
            if (tenth <= shownTenths.getOrDefault(jobId, 0)) {
                return;
            }
            shownTenths.put(jobId, tenth);
            Long eta = (Long) event.getProperty(BatchEvents.ETA_REMAINING_MS);
            out.printf(Locale.ROOT, "    %s [%-10s] %3d/%d  ETA %s%n", labels.get(jobId), "#".repeat(tenth), done,
                    total, eta == null ? "--" : String.format(Locale.ROOT, "%.1f s", eta / 1000.0));
        }

        synchronized Long loadMs(String resourceKey) {
            return loadMs.get(resourceKey);
        }

        synchronized boolean awaitCompleted(List<String> jobIds, long deadlineNanos) throws InterruptedException {
            while (!completed.containsAll(jobIds)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }

        @Override
        public void close() {
            subscription.close();
        }
    }
}

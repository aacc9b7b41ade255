package ai.batch.queue.sim.trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.batch.queue.SizeBucket;

/**
 * The five generated traces. Each draws from its own {@link Random} seeded from the run's seed and its number, so
 * one trace does not change when another is edited.
 */
public final class TraceGenerator {

    /**
     * @param seed the run's seed
     * @param noise item-time noise of every model
     * @param maxWait the model-aware planner's maximum wait; the steady stream lasts 2.5 times as long
     * @param quick smaller traces, for CI
     */
    public record Settings(long seed, double noise, Duration maxWait, boolean quick) {
    }

    static final String LLAVA = "llava:13b";
    static final String MOONDREAM = "moondream";
    static final String BAKLLAVA = "bakllava";
    static final String QWEN = "qwen2.5-vl:7b";
    private static final List<String> OPERATIONS = List.of("tag", "caption");

    private final Settings settings;

    public TraceGenerator(Settings settings) {
        this.settings = settings;
    }

    /** @return all five, in order */
    public List<Trace> all() {
        return List.of(readmeExample(), burstySession(), steadyStream(), zipfModels(), retryHeavy());
    }

    /** The seed README's example: llava:13b tag, moondream tag, llava:13b caption, all at t = 0. */
    public Trace readmeExample() {
        Map<String, ModelSpec> models = models(0, LLAVA, MOONDREAM);
        List<SizeBucket> photos = List.of(SizeBucket.MEDIUM, SizeBucket.SMALL, SizeBucket.LARGE);
        List<JobSpec> jobs = List.of(new JobSpec("readme-1", 0, LLAVA, "tag", photos),
                new JobSpec("readme-2", 0, MOONDREAM, "tag", photos),
                new JobSpec("readme-3", 0, LLAVA, "caption", photos));
        return new Trace("readme", "the seed README's example: llava:13b tag, moondream tag, llava:13b caption,"
                + " all queued at t = 0, three photos each", models, jobs, 0);
    }

    /**
     * 30 jobs over 3 models in random order, in 4 bursts; a burst's jobs arrive within 1 s (one action in the UI),
     * and the next burst comes after an idle gap: the burst's worst-case work (every job loading its model, every
     * item at its slowest) plus 1 to 5 minutes.
     */
    public Trace burstySession() {
        Random random = random(2);
        Map<String, ModelSpec> models = models(0, LLAVA, MOONDREAM, BAKLLAVA);
        List<JobSpec> jobs = bursts(random, models, 30, 4, 4, 16);
        return new Trace("bursty", "a desktop session: 30 jobs, 3 models in random order, 4 bursts (each within"
                + " 1 s) separated by idle gaps longer than a burst's work", models, jobs,
                TraceParser.DEFAULT_RETRY_ROUNDS);
    }

    /**
     * One model's stream keeps the GPU about 110% busy for 2.5 x maxWait (a 2-4 item job every 2-4 s); two other
     * models get one job each early on. Their names sort after the stream's.
     */
    public Trace steadyStream() {
        Random random = random(3);
        Map<String, ModelSpec> models = models(0, LLAVA, MOONDREAM, QWEN);
        long endMs = settings.maxWait().toMillis() * 5 / 2;
        List<JobSpec> jobs = new ArrayList<>();
        int n = 0;
        for (long at = 0; at < endMs; at += 2000 + random.nextInt(2001)) {
            jobs.add(new JobSpec("stream-" + ++n, at, LLAVA, "tag", items(random, 2 + random.nextInt(3))));
        }
        jobs.add(new JobSpec("early-" + MOONDREAM, 5_000, MOONDREAM, "caption", items(random, 10)));
        jobs.add(new JobSpec("early-" + QWEN, 12_000, QWEN, "tag", items(random, 10)));
        return new Trace("steady", "a steady stream of " + LLAVA + " jobs (one every 2-4 s, 2-4 items, about 110% of"
                + " the GPU) for " + endMs / 1000 + " s, with one " + MOONDREAM + " and one " + QWEN
                + " job queued at 5 s and 12 s", models, jobs, TraceParser.DEFAULT_RETRY_ROUNDS);
    }

    /**
     * 20 models whose popularity follows Zipf's law (s = 1; names shuffled against ranks), jobs arriving as a
     * Poisson stream faster than the GPU serves them, so a backlog builds and then drains.
     */
    public Trace zipfModels() {
        Random random = random(4);
        Map<String, ModelSpec> models = zooModels(random);
        List<String> byRank = new ArrayList<>(models.keySet());
        java.util.Collections.shuffle(byRank, random);
        double[] cumulative = zipfCumulative(byRank.size(), 1.0);
        int count = settings.quick() ? 40 : 80;
        List<JobSpec> jobs = new ArrayList<>();
        double at = 0;
        for (int i = 1; i <= count; i++) {
            String model = byRank.get(pick(cumulative, random.nextDouble()));
            jobs.add(new JobSpec("zipf-" + i, Math.round(at), model, operation(random),
                    items(random, 3 + random.nextInt(10))));
            at += -Math.log(1 - random.nextDouble()) * 3000; // mean 3 s between arrivals
        }
        return new Trace("zipf", count + " jobs over 20 models with Zipf popularity (s = 1), Poisson arrivals every"
                + " 3 s on average (faster than the GPU: a backlog builds, then drains)", models, jobs,
                TraceParser.DEFAULT_RETRY_ROUNDS);
    }

    /** 16 jobs over 3 models in 2 bursts; 30% of items fail; failed items are retried up to 3 rounds. */
    public Trace retryHeavy() {
        Random random = random(5);
        Map<String, ModelSpec> models = models(0.3, LLAVA, MOONDREAM, BAKLLAVA);
        List<JobSpec> jobs = bursts(random, models, 16, 2, 4, 12);
        return new Trace("retry", "16 jobs, 3 models, 2 bursts; every item fails with probability 0.3 and a job"
                + " with failed items is retried as soon as it ends, up to 3 rounds", models, jobs, 3);
    }

    private List<JobSpec> bursts(Random random, Map<String, ModelSpec> models, int jobCount, int burstCount,
            int minItems, int maxItems) {
        List<String> names = new ArrayList<>(models.keySet());
        int[] sizes = split(random, jobCount, burstCount);
        List<JobSpec> jobs = new ArrayList<>();
        long burstStart = 0;
        for (int b = 0; b < burstCount; b++) {
            long worstWork = 0;
            for (int j = 0; j < sizes[b]; j++) {
                ModelSpec model = models.get(names.get(random.nextInt(names.size())));
                List<SizeBucket> items = items(random, minItems + random.nextInt(maxItems - minItems + 1));
                jobs.add(new JobSpec("job-" + (jobs.size() + 1), burstStart + random.nextInt(1000), model.name(),
                        operation(random), items));
                worstWork += worstCase(model, items);
            }
            burstStart += 1000 + worstWork + 60_000 + random.nextInt(240_001);
        }
        return jobs;
    }

    /** Every retry round rerunning every item at its slowest, each run loading the model. */
    private long worstCase(ModelSpec model, List<SizeBucket> items) {
        long run = model.loadMs() + items.stream().mapToLong(model::maxItemMs).sum();
        return model.failureRate() > 0 ? run * (1 + TraceParser.DEFAULT_RETRY_ROUNDS) : run;
    }

    private static int[] split(Random random, int total, int parts) {
        int[] sizes = new int[parts];
        int left = total;
        for (int i = 0; i < parts - 1; i++) {
            int fair = left / (parts - i);
            sizes[i] = Math.max(1, fair - 2 + random.nextInt(5));
            left -= sizes[i];
        }
        sizes[parts - 1] = left;
        return sizes;
    }

    /** Photo sizes: 35% small, 35% medium, 20% large, 10% without dimensions. */
    private static List<SizeBucket> items(Random random, int count) {
        List<SizeBucket> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double r = random.nextDouble();
            items.add(r < 0.35 ? SizeBucket.SMALL : r < 0.70 ? SizeBucket.MEDIUM : r < 0.90 ? SizeBucket.LARGE
                    : SizeBucket.UNKNOWN);
        }
        return items;
    }

    private static String operation(Random random) {
        return OPERATIONS.get(random.nextInt(OPERATIONS.size()));
    }

    private Map<String, ModelSpec> models(double failureRate, String... names) {
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (String name : names) {
            long[] times = switch (name) { // load, small, medium, large
                case LLAVA -> new long[] {6000, 700, 1100, 1800};
                case MOONDREAM -> new long[] {1500, 250, 400, 650};
                case BAKLLAVA -> new long[] {5000, 600, 950, 1500};
                case QWEN -> new long[] {4500, 500, 800, 1300};
                default -> throw new IllegalArgumentException(name);
            };
            models.put(name, model(name, times[0], times[1], times[2], times[3], failureRate));
        }
        return models;
    }

    private ModelSpec model(String name, long loadMs, long small, long medium, long large, double failureRate) {
        Map<SizeBucket, Long> itemMs = new EnumMap<>(SizeBucket.class);
        itemMs.put(SizeBucket.SMALL, small);
        itemMs.put(SizeBucket.MEDIUM, medium);
        itemMs.put(SizeBucket.LARGE, large);
        itemMs.put(SizeBucket.UNKNOWN, medium);
        return new ModelSpec(name, loadMs, itemMs, settings.noise(), failureRate);
    }

    private static final List<String> ZOO = List.of("bakllava", "blip2", "cogvlm", "florence-2", "gemma3:4b",
            "idefics2", "internvl2", "kosmos-2", "llama3.2-vision", "llava:13b", "llava:7b", "minicpm-v",
            "moondream", "owlv2", "paligemma", "phi3-vision", "pixtral", "qwen2.5-vl:7b", "siglip", "yolo-world");

    /** 20 models, load 1-8 s, a medium item 200-1500 ms (small 0.6x, large 1.6x). */
    private Map<String, ModelSpec> zooModels(Random random) {
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (String name : ZOO) {
            long load = 1000 + random.nextInt(7001);
            long medium = 200 + random.nextInt(1301);
            models.put(name, model(name, load, Math.round(medium * 0.6), medium, Math.round(medium * 1.6), 0));
        }
        return models;
    }

    private static double[] zipfCumulative(int n, double s) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1 / Math.pow(k, s);
            cumulative[k - 1] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
        return cumulative;
    }

    private static int pick(double[] cumulative, double u) {
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    private Random random(int traceNumber) {
        return new Random(settings.seed() * 31 + traceNumber);
    }
}
